"""Survey answers as publication variables: checked against the answers one by one."""

from tremplin.compute.survey_results import Item, values_of


def test_each_variable_counts_what_each_respondent_answered():
    items = [Item("l", "likert5"), Item("s", "scale10"), Item("c", "single", ("a", "b")),
             Item("m", "multiple", ("x", "y", "z")), Item("t", "text")]  # fmt: skip
    answers = [
        {"l": 4, "s": 0, "c": "b", "m": ["x", "z"], "t": "hello"},
        {"l": 1, "c": "a", "m": []},
        {},
    ]
    v = values_of(items, answers)
    assert v["n:l"].tolist() == [1, 1, 0] and v["v:l"].tolist() == [3, 0, 0]
    assert v["o:l:4"].tolist() == [1, 0, 0] and v["o:l:1"].tolist() == [0, 1, 0]
    assert v["n:s"].tolist() == [1, 0, 0] and v["o:s:0"].tolist() == [1, 0, 0]
    assert v["o:c:b"].tolist() == [1, 0, 0] and v["o:c:a"].tolist() == [0, 1, 0]
    assert v["n:m"].tolist() == [1, 0, 0]
    assert v["o:m:x"].tolist() == [1, 0, 0] and v["o:m:y"].tolist() == [0, 0, 0]
    assert v["n:t"].tolist() == [1, 0, 0]


def test_a_survey_without_answers_has_empty_variables():
    v = values_of([Item("l", "likert5"), Item("c", "single", ("a", "b"))], [])
    assert all(len(x) == 0 for x in v.values())
