import string

from hypothesis import given
from hypothesis import strategies as st

from gongkai.agencies import codes

BODY = st.text(alphabet=string.digits + "ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8)


def test_real_codes_are_valid():
    # 国务院办公厅's organisation code as printed in gov.cn 索引号, and published USCCs.
    assert codes.validate("000014349") is None
    assert codes.validate("01527918X") is None
    assert codes.validate("11441700007280420Y") is None
    assert codes.validate("91350100M000100Y43") is None


def test_hyphenated_organisation_code_is_accepted():
    assert codes.validate("00001434-9") is None
    assert codes.organisation_code("00001434-9") == "000014349"


def test_wrong_check_digit_is_named():
    assert "应为 9" in codes.validate("000014348")
    assert "校验位" in codes.validate("11441700007280420X")


def test_wrong_length_is_explained():
    assert "9 位" in codes.validate("12345")


@given(BODY)
def test_built_codes_validate_and_any_single_change_is_caught(body):
    uscc = codes.make_uscc("11", "990121", body)
    assert codes.validate(uscc) is None
    assert codes.organisation_code(uscc) == body + codes.org_code_check(body)
    last = uscc[-1]
    other = "0" if last != "0" else "1"
    assert codes.validate(uscc[:-1] + other) is not None
