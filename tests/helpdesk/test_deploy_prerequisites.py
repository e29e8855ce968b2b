"""make deploy-check on a machine that lacks a tool says what to install and exits non-zero, with no traceback."""

import signal

from scripts import deploy_check, deploy_prerequisites


def test_missing_nginx_is_named_with_its_package(monkeypatch, capsys):
    monkeypatch.setattr(deploy_prerequisites.shutil, "which", lambda name: None)
    monkeypatch.setattr(deploy_prerequisites.os, "access", lambda path, mode: False)
    monkeypatch.setattr(signal, "signal", lambda *args: None)
    started = []
    monkeypatch.setattr(deploy_check, "run", lambda cleanup: started.append(True))

    assert deploy_check.main() == 2
    out, err = capsys.readouterr()
    assert "nginx (the web server in front of gunicorn): apt-get install nginx" in err
    assert "Traceback" not in out + err and not started


def test_unreachable_services_are_named_without_their_passwords():
    missing = deploy_prerequisites.prerequisites_missing(
        {
            "DATABASE_URL": "postgres://helpdesk:secret@127.0.0.1:1/helpdesk",
            "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
        }
    )
    report = deploy_prerequisites.prerequisites_report(missing)
    assert "PostgreSQL at postgres://helpdesk:***@127.0.0.1:1/helpdesk" in report and "secret" not in report
    assert "Redis at redis://127.0.0.1:1/0" in report and "apt-get install redis-server" in report
