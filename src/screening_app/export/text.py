"""A stored assessment as plain text, for the terminal (``screening-app show``)."""

from __future__ import annotations

LEVEL_NAMES = {"act-now": "ACT NOW", "refer": "REFER", "consider": "CONSIDER"}


def result_as_text(result: dict) -> str:
    lines = [
        f"Assessment {result['assessment_id']} ({result['status']}, version {result['version']})",
        f"Setting: {result['setting']}   Age: {result['age']}   "
        f"Reference: {result.get('reference') or '-'}",
        f"Started {result['created_at']} by {result['created_by']}",
    ]
    if result.get("presenting_issue"):
        lines.append(f"Presenting issue: {result['presenting_issue']}")
    lines.append("")
    lines.append("What to do")
    if not result["flags"]:
        lines.append("  No flags raised.")
    acknowledged = {a["flag_id"] for a in result.get("acknowledgements", [])}
    for flag in result["flags"]:
        ack = " (acknowledged)" if flag["id"] in acknowledged else ""
        lines.append(f"  [{LEVEL_NAMES[flag['level']]}] {flag['title']}{ack}")
        lines.append(f"      {flag['action']}")
    if result["recommendations"]:
        lines.append("")
        lines.append("Recommended next steps")
        for rec in result["recommendations"]:
            owner = f" (owner: {rec['owner']})" if rec.get("owner") else ""
            lines.append(f"  - {rec['text']}{owner}")
    comm = result["communication"]
    if comm["needs"]:
        lines.append("")
        lines.append("How to talk with this child")
        for need in comm["profile"]:
            because = ", ".join(need["triggered_by"]) or "answers"
            lines.append(f"  - {need['need']} (from {because})")
            for adj in need["adjustments"]:
                lines.append(f"      * {adj}")
    if result["child_voice"]:
        lines.append("")
        lines.append("In the child's own words")
        for words in result["child_voice_detail"]:
            lines.append(f"  {words['prompt']}")
            lines.append(f"    \u201c{words['text']}\u201d")
    lines.append("")
    lines.append("Screen results")
    for m in result["modules"]:
        score = "" if m["score"] is None else f" score {m['score']}"
        band = f" - {m['band']}" if m["band"] else ""
        state = "" if m["complete"] else " (incomplete)"
        lines.append(f"  {m['title']}{score}{band}{state}")
    return "\n".join(lines)
