"""Every control shows where the keyboard is: a focus indicator of at least 3:1 against the page (WCAG 2.1, 1.4.11)."""

import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("district_defaults")]

# The focused element's ring (outline, else box-shadow) and the colour behind it: the first ancestor with a
# background of its own, as the ring is drawn outside the control (outline-offset) on that ancestor.
FOCUS_RING = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const parse = (text) => (text.match(/rgba?\\(([^)]+)\\)/) || [null, "0,0,0,0"])[1].split(",").map(Number);
    let background = [255, 255, 255, 1];
    for (let node = element.parentElement; node; node = node.parentElement) {
        const colour = parse(getComputedStyle(node).backgroundColor);
        if (colour.length < 4 || colour[3] > 0) { background = colour; break; }
    }
    const hasOutline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return {
        tag: element.tagName.toLowerCase(),
        type: element.type || "",
        name: element.name || element.textContent.trim().slice(0, 30),
        outline: hasOutline ? parse(style.outlineColor) : null,
        outlineWidth: parseFloat(style.outlineWidth),
        shadow: style.boxShadow !== "none" ? parse(style.boxShadow) : null,
        background,
    };
}"""


def luminance(rgb) -> float:
    channels = [value / 255 for value in rgb[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def blend(colour, background):
    alpha = colour[3] if len(colour) > 3 else 1
    return [alpha * c + (1 - alpha) * b for c, b in zip(colour[:3], background[:3], strict=True)]


def contrast(colour, background) -> float:
    lighter, darker = sorted([luminance(blend(colour, background)), luminance(background)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def tab_to(page, wanted, presses: int = 60) -> dict:
    for _ in range(presses):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if wanted(ring):
            page.wait_for_timeout(300)  # past Bootstrap's 0.15 s transitions, so the ring is at its final colour
            return page.evaluate(FOCUS_RING)
    raise AssertionError("Tab never reached the control")


@pytest.mark.parametrize(
    "control",
    [
        pytest.param(lambda ring: ring["tag"] == "a" and ring["name"].startswith("North Panola"), id="header-link"),
        pytest.param(lambda ring: ring["tag"] == "input" and ring["type"] == "email", id="input"),
        pytest.param(lambda ring: ring["tag"] == "select", id="select"),
        pytest.param(lambda ring: ring["tag"] == "textarea", id="textarea"),
        pytest.param(lambda ring: ring["tag"] == "button" and ring["name"] == "Submit", id="button"),
    ],
)
def test_focused_control_has_a_ring_of_3_to_1(live_server, page, control):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(live_server.url + "/tickets/new/")
    ring = tab_to(page, control)
    colour = ring["outline"] or ring["shadow"]
    assert colour is not None, f"{ring['tag']} {ring['name']} shows no focus ring"
    ratio = contrast(colour, ring["background"])
    assert ratio >= 3, f"{ring['tag']} {ring['name']}: focus ring {colour} on {ring['background']} is {ratio:.2f}:1"
    if ring["outline"]:
        assert ring["outlineWidth"] >= 2
