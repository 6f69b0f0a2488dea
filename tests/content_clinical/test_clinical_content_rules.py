"""Authoring rules from docs/content-guide.md, checked on every shipped module and pathway."""

from __future__ import annotations

import re

import pytest

from .support import CONTENT, REPO, SETTINGS, catalog

OUR_LICENCE = "Heard project wording, Apache-2.0"

# Words a child should not meet in a question meant for them.
JARGON = {"assessment", "assess", "confidential", "confidentiality", "competent", "consent",
          "referral", "refer", "safeguarding", "psychosocial", "camhs", "gillick", "disclose",
          "disclosure", "substance", "substances", "exploitation", "vulnerable", "interpreter",
          "appropriate", "practitioner", "clinician"}


def our_modules():
    return [loaded.model for loaded in catalog().modules.values() if not loaded.model.verbatim]


def child_prompts():
    """Every text a child reads in our own words: child prompts, child option labels and the
    section intros of child-mode modules. Verbatim instruments are exempt (read aloud by
    staff); they are never paraphrased."""
    texts = [(m.id, i.id, i.child_prompt) for m in our_modules() for i in m.items()
             if i.child_prompt]
    texts += [(m.id, f"{i.id}.{o.code}", o.child_label) for m in our_modules()
              for i in m.items() for o in i.options if o.child_label]
    texts += [(m.id, f"intro:{s.id}", s.intro) for m in our_modules() if m.child_mode
              for s in m.sections if s.intro]
    return texts


def _syllables(word: str) -> int:
    """Syllables by vowel groups, less a silent final -e/-es/-ed: a standard heuristic."""
    w = re.sub(r"[^a-z]", "", word.lower())
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", w)
    w = re.sub(r"^y", "", w)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", w)))


def reading_grade(text: str) -> tuple[float, int]:
    """Flesch-Kincaid grade and the longest sentence in words.

    FK grade = 0.39 x (words / sentences) + 11.8 x (syllables / words) - 15.59 (Kincaid et
    al. 1975). A nine-year-old (UK Year 4/5) reads at about US grade 3-4, so 4 is the limit.
    """
    sentences = [s for s in re.split(r"[.?!]+", text) if s.strip()]
    words = re.findall(r"[A-Za-z']+", text)
    syllables = sum(_syllables(w) for w in words)
    grade = 0.39 * len(words) / len(sentences) + 11.8 * syllables / len(words) - 15.59
    return grade, max(len(re.findall(r"[A-Za-z']+", s)) for s in sentences)


def test_reading_grade_matches_hand_counted_examples():
    """The formula on sentences whose words and syllables were counted by hand."""
    grade, longest = reading_grade("The cat sat on the mat.")  # 6 words, 6 syllables
    assert round(grade, 2) == round(0.39 * 6 + 11.8 * 1 - 15.59, 2) and longest == 6
    grade, _ = reading_grade("Is something worrying you right now?")  # 6 words, 9 syllables
    assert round(grade, 2) == round(0.39 * 6 + 11.8 * 9 / 6 - 15.59, 2)
    assert [_syllables(w) for w in ("cat", "yesterday", "worried", "because")] == [1, 3, 2, 2]


def test_every_child_facing_item_in_our_modules_has_a_child_prompt():
    missing = [f"{m.id}.{i.id}" for m in our_modules() for i in m.items()
               if i.child_facing and not i.child_prompt]
    assert not missing


def test_child_mode_modules_are_all_child_facing_with_child_words():
    modules = [m for m in our_modules() if m.child_mode]
    assert [m.id for m in modules] == ["self-rating"]
    for m in modules:
        for item in m.items():
            assert item.child_facing and item.child_prompt and not item.staff_note, item.id
        scales = [i for i in m.items() if i.type.value == "scale"]
        assert scales and all(i.min == 1 and i.max == 5 and i.min_label and i.max_label
                              for i in scales)
        for item in m.items():
            assert all(o.child_label for o in item.options), item.id


@pytest.mark.parametrize(("module", "item", "text"), child_prompts(),
                         ids=[f"{m}.{i}" for m, i, _ in child_prompts()])
def test_child_prompts_are_readable_by_a_nine_year_old(module, item, text):
    """Review finding 19: each prompt on its own at FK grade 4 or below (not a mean)."""
    grade, longest = reading_grade(text)
    assert grade <= 4.0, f"reading grade {grade:.1f}: {text}"
    assert longest <= 17, f"a sentence of {longest} words: {text}"
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
    assert not words & JARGON, f"jargon {sorted(words & JARGON)}: {text}"


def test_our_modules_carry_our_licence_and_cite_their_source():
    for m in our_modules():
        assert m.licence.startswith(OUR_LICENCE), m.id
        assert len(m.source) > 20 and not m.verbatim, m.id


@pytest.mark.parametrize("module", ["asq", "phq9", "gad7"])
def test_verbatim_instruments_cite_their_licence_and_source(module):
    m = catalog().module(module)
    assert m.verbatim and "verbatim" in m.licence.lower()
    assert "nimh" in m.source.lower() or "phqscreeners" in m.source.lower()
    first = (CONTENT / "modules" / f"{module}.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# "), "the file starts with a header naming the instrument"


def test_every_content_file_starts_with_a_header_comment():
    for path in sorted(CONTENT.rglob("*.yaml")):
        assert path.read_text(encoding="utf-8").startswith("# "), path


def test_external_scores_are_recorded_without_wording_bands_or_flags():
    m = catalog().module("external-scores")
    assert not m.scores and not m.flags and not m.verbatim
    text = (CONTENT / "modules" / "external-scores.yaml").read_text(encoding="utf-8").lower()
    for fragment in ["not at all true", "somewhat true", "certainly true",  # SDQ responses
                     "i've been feeling optimistic", "none of the time"]:  # WEMWBS
        assert fragment not in text


def test_every_flag_carries_a_hazard_id_and_no_risk_level():
    for loaded in [*catalog().modules.values(), *catalog().pathways.values()]:
        for flag in loaded.model.flags:
            assert flag.hazard, flag.id
            assert flag.level.value in {"act-now", "refer", "consider"}


@pytest.mark.parametrize(("setting", "expected"), [
    ("ed", {"ed-attendance-summary", "ed-camhs-liaison", "ed-safeguarding-team",
            "ed-gp-follow-up"}),
    ("gp", {"gp-spa", "gp-review", "gp-safeguarding"}),
    ("school-nurse", {"school-emotional-health", "school-dsl", "school-trusted-adult"}),
    ("custody", {"custody-aa", "custody-ld", "custody-inspector", "custody-share"}),
])
def test_every_setting_has_its_recommendations(setting, expected):
    recs = catalog().pathway(setting).recommendations
    assert {r.id for r in recs} == expected
    assert all(r.owner for r in recs)


def test_settings_named_in_modules_are_known():
    for m in our_modules():
        assert set(m.settings) <= set(SETTINGS)
        for item in m.items():
            assert set(item.setting_prompts) <= set(m.settings), f"{m.id}.{item.id}"


def test_the_content_guide_example_module_is_valid(tmp_path):
    from screening_app.content import load_catalog

    guide = (REPO / "docs" / "content-guide.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", guide, flags=re.DOTALL)
                 if "# example: module" in b)
    path = tmp_path / "sleep-example.yaml"
    path.write_text(block, encoding="utf-8")
    cat, problems = load_catalog([path])
    assert not problems, [str(p) for p in problems]
    assert cat.module("sleep-example").flags[0].hazard
