"""Official identifiers: resident ID numbers (GB 11643), unified social credit codes (GB 32100) and
mainland mobile numbers.

The check characters are computed here independently of federation/identifiers.py, from the way the
standards define them (ISO 7064 MOD 11-2 for the ID number, weights 3^i mod 31 for the credit code), so
that a wrong table in the implementation cannot be copied into the test.
"""

import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from federation.identifiers import (
    FEMALE,
    MALE,
    credit_code_check_char,
    make_credit_code,
    make_resident_id,
    mask_id_number,
    mask_phone,
    normalise_credit_code,
    normalise_phone,
    normalise_resident_id,
    resident_id_birth_date,
    resident_id_check_digit,
    resident_id_gender,
    validate_credit_code,
    validate_mobile,
    validate_resident_id,
)

# --- independent reference implementations ------------------------------------------------------

# GB 11643-1999: weight of position i (1-based, from the left) is 2^(18-i) mod 11.
ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]


def id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2: the check value makes the weighted sum ≡ 1 (mod 11); 10 is written X."""
    value = (12 - sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11) % 11
    return "X" if value == 10 else str(value)


def resident_id(first17: str) -> str:
    return first17 + id_check_char(first17)


# GB 32100-2015: 31 characters (no I, O, S, V, Z); weight of position i (0-based) is 3^i mod 31.
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]


def uscc_check_char(first17: str) -> str:
    remainder = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True)) % 31
    return USCC_CHARS[(31 - remainder) % 31]


def credit_code(first17: str) -> str:
    return first17 + uscc_check_char(first17)


def error_text(exc_info) -> str:
    return " ".join(exc_info.value.messages)


# --- resident ID numbers ------------------------------------------------------------------------


def test_reference_weights_are_the_ones_printed_in_the_standard():
    assert ID_WEIGHTS == [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    # The usual lookup table "10X98765432" says the same as the ISO 7064 formula.
    for remainder in range(11):
        assert "10X98765432"[remainder] == (
            "X" if (12 - remainder) % 11 == 10 else str((12 - remainder) % 11)
        )


def test_published_example_has_check_character_x():
    assert id_check_char("11010519491231002") == "X"
    assert resident_id_check_digit("11010519491231002") == "X"


def test_check_digit_agrees_with_the_standard_for_many_numbers():
    rng = random.Random(11643)
    for _ in range(2000):
        first17 = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(16))
        assert resident_id_check_digit(first17) == id_check_char(first17), first17


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",  # the example published with GB 11643
        resident_id("11010119900307803"),  # check character X, female
        resident_id("44030419851120123"),
        resident_id("32010620010911123"),
        resident_id("65010219720229001"),  # born on 29 February of a leap year
        resident_id("51010720000101000"),
    ],
)
def test_valid_resident_id_is_accepted(number):
    validate_resident_id(number)


def test_lowercase_x_is_accepted_and_normalised():
    validate_resident_id("11010519491231002x")
    assert normalise_resident_id(" 110105 19491231 002x ") == "11010519491231002X"


def test_full_width_characters_typed_by_chinese_input_methods_are_normalised_to_ascii():
    typed = "１１０１０５１９４９１２３１００２ｘ"
    assert normalise_resident_id(typed) == "11010519491231002X"
    validate_resident_id(typed)
    assert normalise_credit_code("９１３５０１００ｍ０００１００ｙ４３") == "91350100M000100Y43"
    assert normalise_phone("＋８６　１３８００１３８０００") == "13800138000"


@pytest.mark.parametrize("wrong", sorted(set("0123456789X") - {"X"}))
def test_wrong_check_digit_is_refused_with_a_message_about_the_check_digit(wrong):
    with pytest.raises(ValidationError) as exc_info:
        validate_resident_id("11010519491231002" + wrong)
    assert exc_info.value.code == "id_check_digit"
    assert "校验位" in error_text(exc_info)
    assert "应为X" in error_text(exc_info)


@pytest.mark.parametrize(
    "number, length",
    [
        ("11010519491231002", 17),
        ("11010519491231002X1", 19),
        ("", 0),
    ],
)
def test_number_of_wrong_length_is_refused(number, length):
    with pytest.raises(ValidationError) as exc_info:
        validate_resident_id(number)
    assert exc_info.value.code == "id_length"
    assert "18位" in error_text(exc_info)
    assert f"现为{length}位" in error_text(exc_info)


@pytest.mark.parametrize(
    "number",
    [
        "1101051949123100AX",  # letter among the first 17
        "X10105194912310021",  # X in front
        "110105194912310\u06602X",  # an Arabic-Indic digit is a digit to Python, not to GB 11643
        "110105194912310\u09e62X",  # a Bengali zero, likewise
        "01010519491231002X",  # area code cannot start with 0
        "11010519491231002Y",  # Y is not a check character
    ],
)
def test_letters_and_other_characters_are_refused(number):
    with pytest.raises(ValidationError) as exc_info:
        validate_resident_id(number)
    assert exc_info.value.code == "id_shape"


@pytest.mark.parametrize(
    "birth",
    [
        "19990230",  # 30 February
        "19990229",  # 1999 is not a leap year
        "19991301",  # month 13
        "19990100",  # day 0
        "18991231",  # before 1900: nobody alive to join
    ],
)
def test_impossible_birth_date_is_refused_even_with_a_correct_check_digit(birth):
    number = resident_id(f"110105{birth}001")
    with pytest.raises(ValidationError) as exc_info:
        validate_resident_id(number)
    assert exc_info.value.code == "id_birth_date"
    assert "出生日期" in error_text(exc_info)


def test_future_birth_date_is_refused_and_today_is_accepted():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc_info:
        validate_resident_id(resident_id(f"110105{tomorrow:%Y%m%d}001"))
    assert exc_info.value.code == "id_birth_date"
    validate_resident_id(resident_id(f"110105{timezone.localdate():%Y%m%d}001"))


def test_birth_date_and_gender_are_read_from_the_number():
    assert resident_id_birth_date("11010519491231002X") == dt.date(1949, 12, 31)
    assert resident_id_gender("11010519491231002X") == FEMALE  # 17th digit 2: even
    assert resident_id_gender(resident_id("11010519491231001")) == MALE
    assert resident_id_birth_date(resident_id("11010519990230001")) is None


@pytest.mark.parametrize("gender", [MALE, FEMALE])
@pytest.mark.parametrize("sequence", [0, 1, 998, 999, 1234])
def test_built_resident_id_is_valid_and_encodes_birth_date_and_gender(gender, sequence):
    born = dt.date(1988, 2, 29)
    number = make_resident_id("330106", born, sequence, gender)
    validate_resident_id(number)
    assert number[-1] == id_check_char(number[:17])
    assert resident_id_birth_date(number) == born
    assert resident_id_gender(number) == gender


def test_id_number_is_masked_to_first_six_and_last_four():
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number("") == ""
    assert "E1234567" not in mask_id_number("E12345678")


# --- unified social credit codes ----------------------------------------------------------------


def test_reference_weights_for_credit_code_are_powers_of_three_mod_31():
    assert USCC_WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    assert len(USCC_CHARS) == 31
    assert not set("IOSVZ") & set(USCC_CHARS)


def test_commonly_cited_credit_code_is_valid():
    assert uscc_check_char("91350100M000100Y4") == "3"
    validate_credit_code("91350100M000100Y43")


def test_credit_code_check_char_agrees_with_the_standard_for_many_codes():
    rng = random.Random(32100)
    for _ in range(2000):
        first17 = "".join(rng.choice(USCC_CHARS) for _ in range(2))
        first17 += "".join(rng.choice("0123456789") for _ in range(6))
        first17 += "".join(rng.choice(USCC_CHARS) for _ in range(9))
        assert credit_code_check_char(first17) == uscc_check_char(first17), first17


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",
        credit_code("91110000600037341"),
        credit_code("12100000400012345"),  # 事业单位
        credit_code("51440300MJL123456"),  # 社会组织
        credit_code("92310115MA1K00000"),  # 个体工商户, check char may be 0
    ],
)
def test_valid_credit_code_is_accepted(code):
    validate_credit_code(code)


def test_credit_code_whose_check_char_is_zero_is_accepted():
    # Remainder 0 maps to check character "0", not to the 32nd character.
    rng = random.Random(0)
    while True:
        first17 = "9111010" + "".join(rng.choice("0123456789") for _ in range(10))
        if uscc_check_char(first17) == "0":
            break
    validate_credit_code(first17 + "0")


def test_lowercase_credit_code_is_accepted_and_normalised():
    validate_credit_code("91350100m000100y43")
    assert normalise_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"


def test_credit_code_with_wrong_check_char_is_refused():
    for wrong in set(USCC_CHARS) - {"3"}:
        with pytest.raises(ValidationError) as exc_info:
            validate_credit_code("91350100M000100Y4" + wrong)
        assert exc_info.value.code == "uscc_check_char"
        assert "校验位" in error_text(exc_info)


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_credit_code_with_forbidden_letter_is_refused(letter):
    code = "91350100M000100Y43"
    for position in (0, 8, 16, 17):
        with pytest.raises(ValidationError) as exc_info:
            validate_credit_code(code[:position] + letter + code[position + 1 :])
        assert exc_info.value.code == "uscc_shape"
        assert "I、O、Z、S、V" in error_text(exc_info)


@pytest.mark.parametrize("code", ["9135A100M000100Y43", "913501\u0660\u0660M000100Y43"])
def test_credit_code_with_anything_but_ascii_digits_in_the_area_code_is_refused(code):
    with pytest.raises(ValidationError) as exc_info:
        validate_credit_code(code)
    assert exc_info.value.code == "uscc_shape"


@pytest.mark.parametrize("code", ["91350100M000100Y4", "91350100M000100Y433", "", "9"])
def test_credit_code_of_wrong_length_is_refused(code):
    with pytest.raises(ValidationError) as exc_info:
        validate_credit_code(code)
    assert exc_info.value.code == "uscc_length"
    assert "18位" in error_text(exc_info)


def test_built_credit_code_is_valid():
    for n in range(200):
        code = make_credit_code("9", "1", "110105", f"{n:08d}X")
        validate_credit_code(code)
        assert code[-1] == uscc_check_char(code[:17])


# --- mobile numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, normalised",
    [
        ("13800138000", "13800138000"),
        ("19912345678", "19912345678"),
        ("15012345678", "15012345678"),
        ("+8613800138000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        (" 138-0013-8000 ", "13800138000"),
    ],
)
def test_mainland_mobile_is_accepted_and_normalised(raw, normalised):
    validate_mobile(raw)
    assert normalise_phone(raw) == normalised


@pytest.mark.parametrize(
    "number",
    [
        "12345678901",  # 1 then 2: no such network
        "10012345678",
        "23800138000",
        "1380013800",  # 10 digits
        "138001380001",  # 12 digits
        "1380013800a",
        "+85213800138000",
        "010-62345678",  # a landline
        "1380013800\u0660",  # Arabic-Indic zero
        "",
    ],
)
def test_malformed_mobile_is_refused_with_a_chinese_message(number):
    with pytest.raises(ValidationError) as exc_info:
        validate_mobile(number)
    assert "11位" in error_text(exc_info)


def test_phone_is_masked_in_the_middle():
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone("") == ""


@pytest.mark.parametrize(
    ("number", "invalid"),
    [
        ("11010519491231002X", False),
        ("11010519491231002Y", True),
        ("110105194912310021", True),
        ("11010519491231002", True),
        ("1101051949123100AX", True),
        ("01010519491231002X", True),
    ],
)
def test_resident_id_check_in_the_database_agrees_with_the_python_rule(db, number, invalid):
    """The dashboard finds invalid numbers in SQL; it must give the same verdict as the rule."""
    from django.db.models import Q

    from federation.identifiers import resident_id_invalid_q
    from members.models import Member
    from tests.support.factories import MemberFactory

    member = MemberFactory()
    Member.objects.filter(pk=member.pk).update(id_number=number)
    found = Member.objects.filter(Q(pk=member.pk) & resident_id_invalid_q("id_number")).exists()
    assert found is invalid
