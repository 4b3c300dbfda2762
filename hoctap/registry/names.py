"""Realistic, deterministic Vietnamese people for demo data (central Vietnam: Quảng Bình / Quảng Trị).

Every helper takes a ``random.Random`` so the same seed always gives the same people. Family-name
weights follow the commonly cited national shares (Nguyễn ≈ 38 %, Trần ≈ 11 %, Lê ≈ 9.5 %…); pairs such as
Hoàng/Huỳnh and Vũ/Võ are split towards the central-Vietnam form. Ethnic groups use the official names of
the 54 groups (the Pa Kô are a local group of the Tà Ôi and are registered as "Tà Ôi"). All strings are NFC.
Pure Python: no Django import.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from hoctap.registry.cccd import Sex


def _nfc_words(text: str) -> tuple[str, ...]:
    return tuple(unicodedata.normalize("NFC", word) for word in text.split(","))


def _weighted(pairs: dict[str, float]) -> tuple[tuple[str, ...], list[float]]:
    names = tuple(unicodedata.normalize("NFC", name) for name in pairs)
    return names, list(accumulate(pairs.values()))


FAMILY_NAME_WEIGHTS: dict[str, float] = {
    "Nguyễn": 38.0, "Trần": 11.0, "Lê": 9.5, "Phạm": 7.0, "Hoàng": 3.5, "Huỳnh": 1.5, "Phan": 4.5,
    "Võ": 2.6, "Vũ": 1.3, "Đặng": 2.1, "Bùi": 2.0, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3, "Dương": 1.0,
    "Lý": 0.5, "Trương": 1.1, "Đinh": 1.0, "Đoàn": 0.9, "Lương": 0.7, "Mai": 0.7, "Trịnh": 0.6,
    "Cao": 0.6, "Đào": 0.6, "Lâm": 0.5, "Hà": 0.5, "Thái": 0.4, "Lưu": 0.4, "Tô": 0.3, "Châu": 0.3,
    "Tạ": 0.3, "Chu": 0.3, "Văn": 0.2, "Tôn": 0.2, "Kiều": 0.2, "Quách": 0.2, "Thân": 0.2, "Khúc": 0.1,
    "Doãn": 0.1, "Mạc": 0.1, "Lại": 0.1, "Ông": 0.1,
}  # fmt: skip
MINORITY_FAMILY_NAME_WEIGHTS: dict[str, float] = {
    "Hồ": 45.0, "Lê": 10.0, "Nguyễn": 8.0, "Quỳnh": 7.0, "Kăn": 6.0, "Căn": 5.0, "Đinh": 5.0,
    "Trần": 4.0,
}  # fmt: skip
ETHNICITY_WEIGHTS: dict[str, float] = {
    "Kinh": 95.4, "Bru-Vân Kiều": 3.3, "Tà Ôi": 0.9, "Chứt": 0.25, "Mường": 0.05, "Thái": 0.03,
    "Tày": 0.03, "Hoa": 0.02, "Cơ Tu": 0.02,
}  # fmt: skip
MIDDLE_NAMES: dict[str, dict[str, float]] = {
    "nam": {
        "Văn": 30, "Hữu": 7, "Đức": 7, "Minh": 7, "Công": 5, "Quang": 5, "Thanh": 4, "Xuân": 3, "Ngọc": 3,
        "Đình": 4, "Bá": 2, "Quốc": 4, "Trọng": 3, "Anh": 2, "Tiến": 2, "Duy": 3, "Gia": 3, "Hoàng": 2,
        "Mạnh": 2, "Thế": 2, "Nhật": 2, "Khánh": 1, "Tuấn": 1, "Viết": 1, "Phước": 1, "Trung": 1,
    },
    "nu": {
        "Thị": 45, "Ngọc": 6, "Thu": 5, "Thanh": 5, "Thùy": 4, "Kim": 3, "Mỹ": 3, "Phương": 3, "Hồng": 3,
        "Minh": 3, "Bảo": 3, "Khánh": 2, "Hoài": 2, "Diệu": 1, "Quỳnh": 2, "Hải": 2, "Cẩm": 1, "Xuân": 2,
        "Tường": 1, "Bích": 1, "Như": 2, "Gia": 1, "Lan": 1, "Thảo": 1,
    },
}  # fmt: skip
TRADITIONAL_MIDDLE = {"nam": "Văn", "nu": "Thị"}
GIVEN_NAMES: dict[str, tuple[str, ...]] = {
    "nam": _nfc_words(
        "An,Anh,Bảo,Bằng,Bình,Cảnh,Chiến,Chính,Công,Cường,Đại,Đạt,Định,Đông,Đức,Dũng,Duy,Dương,Giang,"
        "Hà,Hải,Hào,Hậu,Hiền,Hiếu,Hiệp,Hòa,Hoàng,Học,Hùng,Hưng,Huy,Kha,Khải,Khang,Khánh,Khoa,Khôi,Kiên,"
        "Lâm,Lân,Linh,Lộc,Lợi,Long,Luân,Lực,Lương,Mạnh,Minh,Nam,Nghĩa,Ngọc,Nguyên,Nhân,Nhật,Ninh,Phát,"
        "Phong,Phú,Phúc,Phước,Phương,Quân,Quang,Quảng,Quốc,Quý,Quyết,Sang,Sơn,Sỹ,Tài,Tâm,Tân,Thắng,Thành,"
        "Thạnh,Thiện,Thịnh,Thọ,Thông,Thuận,Tiến,Tín,Toàn,Trí,Triều,Trọng,Trung,Trường,Tú,Tuấn,Tùng,Tường,"
        "Văn,Việt,Vinh,Vĩnh,Vũ,Vương,Xuân,Ý,Bách,Cần,Châu,Chương,Danh,Điền,Đoàn,Dự,Hạnh,Hiển,Hoan,Hội,"
        "Khiêm,Kỳ,Lành,Lĩnh,Lưu,Mẫn,Nhuận,Pháp,Quyền,Sinh,Tạo,Thái,Thanh,Thao,Thế,Thức,Tình,Trực,Tuyên,"
        "Uy,Vỹ,Yên,Đăng,Đệ,Hoạt,Khương,Kiệt,Lập,Mậu,Nhã,Phi,Sáng,Tấn,Thạch,Hưởng"
    ),
    "nu": _nfc_words(
        "An,Anh,Ánh,Bích,Bình,Cẩm,Chi,Châu,Cúc,Diệp,Diễm,Dung,Duyên,Đào,Giang,Hà,Hải,Hạnh,Hằng,Hân,Hậu,"
        "Hiền,Hoa,Hòa,Hoài,Hồng,Huệ,Hương,Hường,Huyền,Khánh,Khuê,Kiều,Lam,Lan,Liên,Liễu,Linh,Loan,Lụa,"
        "Ly,Mai,Mận,Minh,My,Mỹ,Nga,Ngân,Nghĩa,Ngọc,Nguyệt,Nhàn,Nhi,Nhung,Như,Oanh,Phượng,Phương,Quế,Quyên,"
        "Quỳnh,Sen,Sương,Tâm,Thanh,Thảo,Thắm,Thoa,Thơ,Thu,Thúy,Thủy,Thư,Thương,Tiên,Trâm,Trang,Trinh,Tú,"
        "Tuyết,Uyên,Vân,Vi,Việt,Vy,Xuân,Yến,Bảo,Chinh,Đông,Gấm,Hảo,Hiên,Hoàn,Hợi,Huế,Kim,Lài,Lành,Lệ,"
        "Lê,Lựu,Mơ,Na,Nữ,Nương,Phúc,Quyền,Sa,Son,Tài,Thiện,Thìn,Thịnh,Thục,Thuận,Thùy,Tình,Trà,Trúc,Tươi,"
        "Út,Vinh,Xoan,Yên,Diệu,Giao,Hiếu,Lợi,Mến,Nguyên,Ninh,Phấn,Tư,Vui,Ngát,Ái,Bông,Dạ,Dịu,Hiệp,Hoan,"
        "Khanh,Lộc,Mẫn,Ngà,Nhạn,Phụng,Thêu,Thể,Thơm,Trầm,Tuyền,Vàng"
    ),
}
RELATIONSHIPS: tuple[str, ...] = _nfc_words(
    "Chủ hộ,Vợ,Chồng,Con,Con dâu,Con rể,Bố,Mẹ,Ông,Bà,Cháu,Anh,Chị,Em,Người khác"
)
VILLAGE_DIRECTIONS: tuple[str, ...] = _nfc_words("Đông,Tây,Nam,Bắc,Trung,Thượng,Hạ,Tân Lập,Tân Hòa,Phú Xuân")
VILLAGE_WORDS: tuple[str, ...] = _nfc_words(
    "An,Phú,Tân,Hòa,Bình,Lộc,Thạnh,Mỹ,Xuân,Đông,Thượng,Trung,Lương,Vĩnh,Hiền,Thuận,Phước,Quảng,Cát,Sơn"
)
UPLAND_VILLAGES: tuple[str, ...] = _nfc_words(
    "Dốc Mây,Rìn Rìn,Cà Roòng,Hà Vi,Ka Ai,Khe Cát,Ploang,Cha Lỳ,Ón,Đoòng,Sắt,Ra Mai,Cu Vơ,Tà Rùng,"
    "A Xóc,Chân Trộng,Trìa,Mít,Cồn Roàng,Bụt,Nước Đắng,Xà Lời"
)

_FAMILY = _weighted(FAMILY_NAME_WEIGHTS)
_MINORITY_FAMILY = _weighted(MINORITY_FAMILY_NAME_WEIGHTS)
_ETHNICITY = _weighted(ETHNICITY_WEIGHTS)
_MIDDLE = {sex: _weighted(weights) for sex, weights in MIDDLE_NAMES.items()}
SPOUSE_MAX_GAP = 10
PARENT_MIN_GAP, PARENT_MAX_GAP = 18, 45
OLDEST_AGE = 95


@dataclass(frozen=True)
class DemoPerson:
    """One member of a demo household; ``parents`` are indices of their parents in the same list."""

    full_name: str
    sex: Sex
    birth_date: dt.date
    relationship: str
    ethnicity: str
    parents: tuple[int, ...] = ()

    @property
    def family_name(self) -> str:
        return self.full_name.split(" ", 1)[0]


def _pick(rng: random.Random, table: tuple[tuple[str, ...], list[float]]) -> str:
    names, cumulative = table
    return rng.choices(names, cum_weights=cumulative)[0]


def family_name(rng: random.Random, *, ethnicity: str = "Kinh") -> str:
    return _pick(rng, _FAMILY if ethnicity == "Kinh" else _MINORITY_FAMILY)


def pick_ethnicity(rng: random.Random) -> str:
    return _pick(rng, _ETHNICITY)


def middle_name(rng: random.Random, sex: Sex, *, birth_year: int | None = None) -> str:
    """Older generations mostly carry Văn/Thị; younger ones a wider choice."""
    if birth_year is not None and birth_year < 1975 and rng.random() < 0.6:
        return TRADITIONAL_MIDDLE[sex]
    return _pick(rng, _MIDDLE[sex])


def given_name(rng: random.Random, sex: Sex) -> str:
    return rng.choice(GIVEN_NAMES[sex])


def person_name(
    rng: random.Random,
    sex: Sex,
    *,
    family: str | None = None,
    birth_year: int | None = None,
    ethnicity: str = "Kinh",
) -> str:
    """A full name "Family Middle Given"; ``family`` fixes the family name (children take the father's)."""
    surname = family or family_name(rng, ethnicity=ethnicity)
    middle = middle_name(rng, sex, birth_year=birth_year)
    given = given_name(rng, sex)
    while given == middle:
        given = given_name(rng, sex)
    return f"{surname} {middle} {given}"


def birth_date_in(rng: random.Random, year: int) -> dt.date:
    start = dt.date(year, 1, 1)
    return start + dt.timedelta(days=rng.randrange((dt.date(year + 1, 1, 1) - start).days))


def village_names(rng: random.Random, count: int, *, kind: str = "rural") -> list[str]:
    """``count`` distinct village names: "rural" (Thôn), "urban" (Tổ dân phố) or "upland" (Bản)."""
    if kind == "urban":
        return [f"Tổ dân phố {n}" for n in range(1, count + 1)]
    if kind == "upland":
        pool = [f"Bản {name}" for name in UPLAND_VILLAGES]
        if count <= len(pool):
            return rng.sample(pool, count)
        return pool + [f"Bản {n}" for n in range(1, count - len(pool) + 1)]
    named = [f"Thôn {word}" for word in VILLAGE_DIRECTIONS]
    named += [f"Thôn {a} {b}" for a in VILLAGE_WORDS for b in VILLAGE_WORDS if a != b]
    if rng.random() < 0.5:
        return [f"Thôn {n}" for n in range(1, count + 1)]
    return rng.sample(named, min(count, len(named))) + [f"Thôn {n}" for n in range(1, count - len(named) + 1)]


class _Household:
    """Builds one household member by member, keeping the age rules."""

    def __init__(self, rng: random.Random, *, ref_year: int, ethnicity: str) -> None:
        self.rng = rng
        self.ref_year = ref_year
        self.ethnicity = ethnicity
        self.members: list[DemoPerson] = []

    def add(
        self,
        *,
        sex: Sex,
        year: int,
        relationship: str,
        family: str | None = None,
        parents: tuple[int, ...] = (),
    ) -> int:
        name = person_name(self.rng, sex, family=family, birth_year=year, ethnicity=self.ethnicity)
        person = DemoPerson(name, sex, birth_date_in(self.rng, year), relationship, self.ethnicity, parents)
        self.members.append(person)
        return len(self.members) - 1

    def year(self, index: int) -> int:
        return self.members[index].birth_date.year

    def spouse_year(self, year: int) -> int:
        gap = round(self.rng.triangular(-SPOUSE_MAX_GAP, SPOUSE_MAX_GAP, 0))
        youngest, oldest = self.ref_year - 18, max(year - SPOUSE_MAX_GAP, self.ref_year - OLDEST_AGE)
        return max(min(year + gap, youngest), oldest)

    def child_years(self, parents: Sequence[int], count: int) -> list[int]:
        """Birth years 18-45 years after every parent, not in the future, in order."""
        years = [self.year(index) for index in parents]
        low, high = max(years) + PARENT_MIN_GAP, min(min(years) + PARENT_MAX_GAP, self.ref_year)
        if low > high:
            return []
        peak = min(low + 8, high)
        return sorted(round(self.rng.triangular(low, high, peak)) for _ in range(count))

    def add_children(self, parents: tuple[int, ...], count: int, relationship: str) -> list[int]:
        father = next((i for i in parents if self.members[i].sex == "nam"), parents[0])
        family = self.members[father].family_name
        return [
            self.add(sex=self.rng.choice(("nam", "nu")), year=year, relationship=relationship, family=family,
                     parents=parents)
            for year in self.child_years(parents, count)
        ]  # fmt: skip


def _add_head_parents(house: _Household, head: int) -> None:
    head_year = house.year(head)
    low = max(head_year - PARENT_MAX_GAP, house.ref_year - OLDEST_AGE)
    high = head_year - PARENT_MIN_GAP
    if low > high or house.rng.random() > 0.25:
        return
    father_year = round(house.rng.triangular(low, high, min(max(head_year - 27, low), high)))
    mother_year = min(max(father_year + house.rng.randint(-6, 2), low), high)
    family = house.members[head].family_name
    if house.rng.random() < 0.7:
        house.add(sex="nam", year=father_year, relationship="Bố", family=family)
    house.add(sex="nu", year=mother_year, relationship="Mẹ")


def household_members(
    rng: random.Random,
    head_birth_year: int,
    *,
    head_sex: Sex | None = None,
    ethnicity: str | None = None,
    ref_year: int = 2024,
) -> list[DemoPerson]:
    """A consistent household: head, spouse, children, the head's parents, a child's spouse, grandchildren.

    Spouses are within 10 years of each other; each child is 18-45 years younger than each of its parents;
    nobody is born after ``ref_year`` or older than 95 then; children take their father's family name.
    """
    house = _Household(rng, ref_year=ref_year, ethnicity=ethnicity or pick_ethnicity(rng))
    sex: Sex = head_sex or ("nam" if rng.random() < 0.72 else "nu")
    head = house.add(sex=sex, year=head_birth_year, relationship="Chủ hộ")
    couple: tuple[int, ...] = (head,)
    if 20 <= ref_year - head_birth_year <= OLDEST_AGE and rng.random() < 0.82:
        other: Sex = "nu" if sex == "nam" else "nam"
        spouse = house.add(
            sex=other, year=house.spouse_year(head_birth_year), relationship="Vợ" if sex == "nam" else "Chồng"
        )
        couple = (head, spouse)
    children = house.add_children(couple, rng.choices((0, 1, 2, 3, 4), weights=(3, 3, 5, 2, 1))[0], "Con")
    _add_head_parents(house, head)
    for child in children:
        if ref_year - house.year(child) < 24 or rng.random() > 0.25:
            continue
        in_law: Sex = "nu" if house.members[child].sex == "nam" else "nam"
        partner = house.add(sex=in_law, year=house.spouse_year(house.year(child)),
                            relationship="Con dâu" if in_law == "nu" else "Con rể")  # fmt: skip
        house.add_children((child, partner), rng.randint(0, 2), "Cháu")
        break
    return house.members
