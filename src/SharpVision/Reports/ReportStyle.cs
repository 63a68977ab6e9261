namespace SharpVision.Reports;

/// <summary>The inline stylesheet of the HTML reports (system fonts only, so the page needs nothing from outside).</summary>
internal static class ReportStyle
{
    public const string Css = """
        :root { --ink:#1f2328; --muted:#656d76; --line:#d0d7de; --bg:#f6f8fa; --good:#1a7f37; --bad:#cf222e; --accent:#0969da; }
        * { box-sizing: border-box; }
        body { margin:0; font: 15px/1.5 -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", Helvetica, Arial, sans-serif; color:var(--ink); background:#fff; }
        header { background:#24292f; color:#fff; padding:20px 32px; }
        header h1 { margin:0; font-size:24px; }
        header p { margin:4px 0 0; color:#c9d1d9; }
        nav { position:sticky; top:0; background:#fff; border-bottom:1px solid var(--line); padding:8px 32px; z-index:1; font-size:14px; }
        nav a { color:var(--accent); text-decoration:none; margin-right:16px; white-space:nowrap; }
        main { max-width:1200px; margin:0 auto; padding:8px 32px 48px; }
        section { margin-top:36px; }
        h2 { font-size:20px; border-bottom:1px solid var(--line); padding-bottom:6px; }
        h3 { font-size:16px; margin:20px 0 6px; }
        .cards { display:flex; flex-wrap:wrap; gap:12px; }
        .card { background:var(--bg); border:1px solid var(--line); border-radius:8px; padding:10px 16px; min-width:150px; }
        .card .v { font-size:24px; font-weight:600; }
        .card .k { color:var(--muted); font-size:13px; }
        table { border-collapse:collapse; margin:8px 0; font-size:14px; }
        th, td { border-bottom:1px solid var(--line); padding:5px 10px; text-align:right; }
        th { background:var(--bg); font-weight:600; }
        td.l, th.l { text-align:left; }
        tr.avg td { font-weight:600; background:#fbfbfb; }
        .bar { display:inline-block; height:10px; background:var(--accent); border-radius:2px; vertical-align:middle; margin-right:6px; }
        .good { color:var(--good); } .bad { color:var(--bad); }
        .muted { color:var(--muted); }
        .quad { display:grid; grid-template-columns: 140px 1fr 1fr; max-width:560px; border:1px solid var(--line); border-radius:8px; overflow:hidden; }
        .quad div { padding:8px 12px; border-bottom:1px solid var(--line); border-right:1px solid var(--line); }
        .quad .h { background:var(--bg); font-weight:600; }
        figure { margin:12px 0; }
        figure img { max-width:100%; height:auto; border:1px solid var(--line); border-radius:6px; }
        figcaption { color:var(--muted); font-size:13px; }
        details summary { cursor:pointer; color:var(--accent); }
        dl.details { display:grid; grid-template-columns:max-content 1fr; gap:2px 16px; margin:12px 0; font-size:14px; }
        dl.details dt { color:var(--muted); } dl.details dd { margin:0; word-break:break-all; }
        code { font-size:13px; }
        """;
}
