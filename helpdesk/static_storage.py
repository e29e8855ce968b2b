"""WhiteNoise's compressed manifest storage, with each file's URL worked out once per process.

The manifest is read when the process starts and stays as it is until a deploy restarts it, so a file's URL cannot
change in between; every page has at least five {% static %} tags, and each one cost as much as a form field.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force=True)
        if name not in self._urls:
            self._urls[name] = super().url(name)  # a file missing from the manifest raises here, and is not kept
        return self._urls[name]

    def post_process(self, *args, **kwargs):
        self._urls.clear()  # collectstatic writes a new manifest: URLs worked out before it are forgotten
        yield from super().post_process(*args, **kwargs)
        self._urls.clear()
