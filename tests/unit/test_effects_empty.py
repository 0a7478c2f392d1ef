"""Effects.is_empty looks at the fields given; every default must stay empty for that to hold."""


def test_effects_is_empty_reads_the_given_fields():
    from simulator.scenario.model import Effects

    assert Effects().is_empty()
    assert Effects(impact={}, significant=[], outlook=None).is_empty()
    assert not Effects(outlook="worsening").is_empty()
    assert not Effects(flags={"x": False}).is_empty()
    assert not Effects().model_copy(update={"cohesion": 0.1}).is_empty()
    for name, field in Effects.model_fields.items():  # every default is empty, which is what is_empty relies on
        default = field.get_default(call_default_factory=True)
        assert default is None or default == {} or default == [], name
