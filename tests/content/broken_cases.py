"""Broken module files, one per kind of problem the validator must name, with the line."""

from __future__ import annotations

GOOD = """\
id: demo
version: 1.0.0
title: Demo
source: Heard project
licence: Apache-2.0
sections:
  - id: main
    title: Main
    items:
      - id: a
        type: yes_no
        prompt: First?
      - id: b
        type: single_choice
        prompt: Second?
        options:
          - {code: "0", label: Never, score: 0}
          - {code: "1", label: Often, score: 1}
        enable_when: {item: a, equals: "yes"}
scores:
  - id: total
    label: Total
    sum: [b]
    bands:
      - {code: low-end, min: 0, max: 0}
      - {code: high-end, min: 1, max: 1}
flags:
  - id: demo-flag
    level: consider
    title: Flag
    action: Do something
    rationale: Because
    source: Test
    when: {item: a, equals: "yes"}
"""

FLAG_WHEN = '\n    when: {item: a, equals: "yes"}'  # the flag's condition, not enable_when

# (name, text, expected line, words the message must contain)
CASES = [
    ("unknown key", GOOD.replace("        prompt: First?", "        prompt: First?\n"
                                 "        colour: red"), 13, ["unknown key 'colour'"]),
    ("unknown item type", GOOD.replace("type: yes_no", "type: slider"), 11,
     ["unknown item type 'slider'"]),
    ("duplicate item id", GOOD.replace("      - id: b\n", "      - id: a\n"), 13,
     ["duplicate item id 'a'"]),
    ("missing item reference", GOOD.replace("{item: a, equals", "{item: zz, equals", 1), 19,
     ["missing item 'zz'"]),
    ("missing option reference", GOOD.replace('enable_when: {item: a, equals: "yes"}',
                                              'enable_when: {item: a, equals: "maybe"}'), 19,
     ["no option 'maybe'"]),
    ("missing module reference", GOOD.replace("{item: a, equals", "{item: nosuch.a, equals", 1),
     19, ["missing module 'nosuch'"]),
    ("circular condition", GOOD.replace("        prompt: First?",
                                        "        prompt: First?\n"
                                        "        enable_when: {item: b, equals: \"1\"}"), 13,
     ["circular condition"]),
    ("band overlap", GOOD.replace("{code: high-end, min: 1, max: 1}",
                                  "{code: high-end, min: 0, max: 1}"), 26, ["overlaps"]),
    ("band gap", GOOD.replace("{code: high-end, min: 1, max: 1}",
                              "{code: high-end, min: 2, max: 2}"), 26, ["gap"]),
    ("band short of maximum", GOOD.replace("      - {code: high-end, min: 1, max: 1}\n", ""), 24,
     ["can reach 1"]),
    ("flag that can never fire", GOOD.replace(FLAG_WHEN, "\n    when: {score: total, gte: 5}"),
     34,
     ["can never fire"]),
    ("contradictory flag", GOOD.replace(FLAG_WHEN, '\n    when: {all: [{item: a, equals: "yes"}, '
                                                   '{item: a, equals: "no"}]}'), 34,
     ["can never fire", "cannot equal both"]),
    ("duplicate key", GOOD.replace("title: Demo\n", "title: Demo\ntitle: Again\n"), 4,
     ["duplicate key 'title'"]),
    ("anchor and alias", GOOD.replace("title: Demo\n", "title: &t Demo\ndescription: *t\n"), 3,
     ["anchors and aliases"]),
    ("python tag", GOOD.replace("title: Demo", "title: !!python/object:os.system x"), 3,
     ["not allowed"]),
    ("malformed yaml", GOOD.replace("    title: Main", "    title: [Main"), 9,
     ["YAML syntax"]),
    ("missing required key", GOOD.replace("licence: Apache-2.0\n", ""), 1,
     ["missing required key 'licence'"]),
    ("yaml 1.1 boolean is not a code", GOOD.replace('equals: "yes"}', "equals: yes}", 1), 19,
     []),  # YAML 1.2: unquoted yes stays the string "yes", so this one is valid
]
