"""Realistic Vietnamese sample documents (for ``hoctap document sample`` and template validation)."""

from __future__ import annotations

from datetime import date

from .spec import (
    Article,
    AttachedList,
    AuthorityPrefix,
    CertificateSpec,
    Column,
    DocumentSpec,
    Paragraph,
    SignatureBlock,
)

SAMPLE_TYPES = ("qd", "ttr", "bc", "bb", "kh", "tb", "certificates")
_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương")
_MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thị Thu", "Quang", "Thị Hồng", "Hữu", "Ngọc", "Xuân")
_GIVEN = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hòa",
    "Hương",
    "Khánh",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quỳnh",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thủy",
    "Trung",
    "Tuấn",
    "Vân",
    "Yến",
)
_VILLAGES = ("Thôn Xuân Sơn", "Thôn Phong Nha", "Thôn Cù Lạc 1", "Thôn Hà Lời", "Thôn Trằm Mé", "Thôn Na")
ISSUED_ON = date(2026, 1, 5)
COMMUNE = "ỦY BAN NHÂN DÂN\nXÃ PHONG NHA"
_BASIS = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
    "Căn cứ Quyết định số 448/QĐ-KHVN ngày 01 tháng 12 năm 2015 của Trung ương Hội Khuyến học Việt Nam "
    "ban hành Bộ tiêu chí và hướng dẫn đánh giá, công nhận “Gia đình học tập”, “Dòng họ học tập”, "
    "“Cộng đồng học tập” cấp thôn và “Đơn vị học tập” cấp xã;",
    "Căn cứ Kế hoạch số 2557/KH-UBND ngày 11 tháng 12 năm 2023 của Ủy ban nhân dân tỉnh Quảng Bình "
    "triển khai phong trào thi đua “Cả nước thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời "
    "giai đoạn 2023-2030”;",
    "Theo đề nghị của Hội Khuyến học xã Phong Nha.",
)
_RECIPIENTS = (
    "Như Điều 3",
    "TT Đảng ủy, HĐND xã",
    "Chủ tịch, các PCT UBND xã",
    "Hội Khuyến học tỉnh",
    "Lưu: VT, VHXH",
)


def sample_name(index: int) -> str:
    surname = _SURNAMES[index % len(_SURNAMES)]
    middle = _MIDDLE[(index // 7) % len(_MIDDLE)]
    given = _GIVEN[(index * 5 + index // 13) % len(_GIVEN)]
    return f"{surname} {middle} {given}"


def _household_list(rows: int, *, title: str) -> AttachedList:
    columns = (
        Column(title="STT", width_mm=12, align="center"),
        Column(title="Họ và tên chủ hộ", width_mm=55),
        Column(title="Năm sinh", width_mm=20, align="center"),
        Column(title="Thôn", width_mm=38),
        Column(title="Số thành viên", width_mm=22, align="center"),
        Column(title="Ghi chú", width_mm=18),
    )
    data = tuple(
        (str(i + 1), sample_name(i), str(1950 + i % 45), _VILLAGES[i % len(_VILLAGES)], str(2 + i % 5), "")
        for i in range(rows)
    )
    return AttachedList(title=title, columns=columns, rows=data)


def _plan_list(rows: int) -> AttachedList:
    columns = (
        Column(title="STT", width_mm=12, align="center"),
        Column(title="Nội dung công việc", width_mm=95),
        Column(title="Đơn vị chủ trì", width_mm=45),
        Column(title="Đơn vị phối hợp", width_mm=50),
        Column(title="Thời gian hoàn thành", width_mm=30, align="center"),
        Column(title="Kết quả", width_mm=20),
    )
    tasks = (
        "Rà soát, lập danh sách hộ đăng ký “Gia đình học tập”",
        "Tổ chức tự đánh giá tại thôn",
        "Thẩm định hồ sơ đề nghị công nhận",
        "Tổng hợp, báo cáo kết quả",
    )
    data = tuple(
        (
            str(i + 1),
            f"{tasks[i % len(tasks)]} ({_VILLAGES[i % len(_VILLAGES)]})",
            "Hội Khuyến học xã",
            "Ban Công tác Mặt trận thôn",
            f"Quý {1 + i % 4}/2026",
            "",
        )
        for i in range(rows)
    )
    return AttachedList(title="PHÂN CÔNG NHIỆM VỤ", columns=columns, rows=data, orientation="landscape")


_SIGNERS: dict[str, tuple[str, str, str]] = {
    "TM.": ("ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Thành"),
    "KT.": ("CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Đức Hòa"),
    "TL.": ("CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Lê Thị Hồng Nhung"),
}


def _chairman(prefix: AuthorityPrefix) -> SignatureBlock:
    line, title, name = _SIGNERS[prefix]
    return SignatureBlock(authority_prefix=prefix, authority_line=line, signer_title=title, signer_name=name)


def _decision(rows: int) -> DocumentSpec:
    list_title = "DANH SÁCH HỘ GIA ĐÌNH ĐƯỢC CÔNG NHẬN “GIA ĐÌNH HỌC TẬP” NĂM 2026"
    return DocumentSpec(
        doc_type="qd",
        issuing_body=COMMUNE,
        symbol="QĐ-UBND",
        number=5,
        issued_on=ISSUED_ON,
        place="Phong Nha",
        summary="Về việc công nhận danh hiệu “Gia đình học tập” năm 2026",
        authority_heading="CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ PHONG NHA",
        basis=_BASIS,
        enacting_word="QUYẾT ĐỊNH:",
        articles=(
            Article(
                text=f"Công nhận danh hiệu “Gia đình học tập” năm 2026 cho {rows} hộ gia đình "
                "(có danh sách kèm theo)."
            ),
            Article(text="Quyết định này có hiệu lực kể từ ngày ký."),
            Article(
                text="Chánh Văn phòng HĐND và UBND xã, Chủ tịch Hội Khuyến học xã, Trưởng các thôn "
                "và các hộ gia đình có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này."
            ),
        ),
        attachment=_household_list(rows, title=list_title) if rows else None,
        signature=_chairman("KT."),
        recipients=_RECIPIENTS,
    )


def _submission(rows: int) -> DocumentSpec:
    return DocumentSpec(
        doc_type="ttr",
        issuing_body="HỘI KHUYẾN HỌC\nXÃ PHONG NHA",
        symbol="TTr-HKH",
        number=12,
        issued_on=date(2025, 12, 20),
        place="Phong Nha",
        addressees=("Ủy ban nhân dân xã Phong Nha",),
        summary="Đề nghị công nhận danh hiệu “Gia đình học tập” năm 2026",
        paragraphs=(
            Paragraph(
                text="Căn cứ kết quả bình xét tại các thôn và biên bản họp thẩm định ngày "
                "15 tháng 12 năm 2025, Hội Khuyến học xã kính trình Ủy ban nhân dân xã xem xét, "
                f"công nhận danh hiệu “Gia đình học tập” năm 2026 cho {rows} hộ gia đình."
            ),
            Paragraph(
                text="Hồ sơ gồm: danh sách đề nghị, biên bản bình xét của các thôn và phiếu tự "
                "đánh giá của hộ gia đình."
            ),
            Paragraph(text="Kính trình Ủy ban nhân dân xã xem xét, quyết định./."),
        ),
        attachment=_household_list(rows, title="DANH SÁCH ĐỀ NGHỊ CÔNG NHẬN") if rows else None,
        signature=SignatureBlock(
            authority_prefix="TM.",
            authority_line="BAN CHẤP HÀNH",
            signer_title="CHỦ TỊCH",
            signer_name="Lê Thị Thu Hương",
        ),
        recipients=("Như trên", "Lưu: VP Hội"),
    )


def _report(rows: int) -> DocumentSpec:
    return DocumentSpec(
        doc_type="bc",
        issuing_body=COMMUNE,
        symbol="BC-UBND",
        number=48,
        issued_on=date(2026, 2, 9),
        place="Phong Nha",
        summary="Kết quả xây dựng xã hội học tập năm 2025",
        paragraphs=(
            Paragraph(text="I. KẾT QUẢ THỰC HIỆN", heading=True),
            Paragraph(
                text="Năm 2025, toàn xã có 2.874/3.120 hộ đạt danh hiệu “Gia đình học tập” "
                "(92,1%), 14/16 thôn đạt “Cộng đồng học tập”, 37 dòng họ đạt “Dòng họ học tập”."
            ),
            Paragraph(text="II. TỒN TẠI, HẠN CHẾ", heading=True),
            Paragraph(
                text="Một số thôn vùng sâu còn chậm cập nhật danh sách; kinh phí quỹ khuyến học "
                "ở một số chi hội còn thấp."
            ),
            Paragraph(text="III. PHƯƠNG HƯỚNG NĂM 2026", heading=True),
            Paragraph(text="Phấn đấu 93% hộ đạt “Gia đình học tập”; 100% thôn đạt “Cộng đồng học tập”."),
        ),
        attachment=_household_list(rows, title="DANH SÁCH GIA ĐÌNH HỌC TẬP TIÊU BIỂU") if rows else None,
        signature=_chairman("TM."),
        recipients=("Sở Giáo dục và Đào tạo", "Hội Khuyến học tỉnh", "Lưu: VT"),
    )


def _minutes(rows: int) -> DocumentSpec:
    return DocumentSpec(
        doc_type="bb",
        issuing_body="HỘI ĐỒNG THI ĐUA, KHEN THƯỞNG\nXÃ PHONG NHA",
        parent_body="UBND XÃ PHONG NHA",
        symbol="BB-HĐTĐKT",
        number=3,
        issued_on=date(2025, 12, 15),
        place="Phong Nha",
        summary="Họp xét công nhận danh hiệu “Gia đình học tập” năm 2026",
        paragraphs=(
            Paragraph(text="Thời gian: 08 giờ 00, ngày 15 tháng 12 năm 2025. Địa điểm: Hội trường UBND xã."),
            Paragraph(
                text="Thành phần: 9/9 thành viên Hội đồng; chủ trì: ông Trần Đức Hòa, Phó Chủ tịch UBND "
                "xã; thư ký: bà Phạm Thị Mai."
            ),
            Paragraph(
                text="Kết quả biểu quyết: 9/9 thành viên (100%) nhất trí đề nghị công nhận danh sách "
                "kèm theo."
            ),
            Paragraph(text="Cuộc họp kết thúc lúc 10 giờ 30 cùng ngày./."),
        ),
        attachment=_household_list(rows, title="KẾT QUẢ BIỂU QUYẾT") if rows else None,
        co_signature=SignatureBlock(signer_title="THƯ KÝ", signer_name="Phạm Thị Mai"),
        signature=SignatureBlock(signer_title="CHỦ TỌA", signer_name="Trần Đức Hòa"),
    )


def _plan(rows: int) -> DocumentSpec:
    return DocumentSpec(
        doc_type="kh",
        issuing_body=COMMUNE,
        symbol="KH-UBND",
        number=7,
        issued_on=date(2026, 1, 20),
        place="Phong Nha",
        summary="Triển khai công nhận “Gia đình học tập” năm 2026",
        paragraphs=(
            Paragraph(text="I. MỤC ĐÍCH, YÊU CẦU", heading=True),
            Paragraph(
                text="Đẩy mạnh phong trào học tập suốt đời trong các hộ gia đình; đánh giá, công nhận "
                "đúng thực chất, công khai, dân chủ."
            ),
            Paragraph(text="II. NỘI DUNG VÀ TIẾN ĐỘ", heading=True),
            Paragraph(text="Các nhiệm vụ và thời gian hoàn thành theo phụ lục kèm theo."),
        ),
        attachment=_plan_list(rows) if rows else None,
        signature=_chairman("KT."),
        recipients=("Các thôn", "Hội Khuyến học xã", "Lưu: VT"),
    )


def _notice(rows: int) -> DocumentSpec:
    return DocumentSpec(
        doc_type="tb",
        issuing_body=COMMUNE,
        symbol="TB-UBND",
        number=21,
        issued_on=date(2026, 2, 2),
        place="Phong Nha",
        summary="Công khai danh sách đề nghị công nhận “Gia đình học tập” năm 2026",
        paragraphs=(
            Paragraph(
                text="Ủy ban nhân dân xã thông báo công khai danh sách hộ gia đình được đề nghị công "
                "nhận danh hiệu “Gia đình học tập” năm 2026 (kèm theo)."
            ),
            Paragraph(text="Ý kiến góp ý gửi về Hội Khuyến học xã trước ngày 12 tháng 02 năm 2026./."),
        ),
        attachment=_household_list(rows, title="DANH SÁCH CÔNG KHAI") if rows else None,
        signature=_chairman("TL."),
        recipients=("Các thôn", "Đài truyền thanh xã", "Lưu: VT"),
    )


_BUILDERS = {"qd": _decision, "ttr": _submission, "bc": _report, "bb": _minutes, "kh": _plan, "tb": _notice}


def sample_document_spec(doc_type: str, *, rows: int) -> DocumentSpec:
    """A realistic sample of ``doc_type`` with ``rows`` list rows (no list when ``rows`` is 0)."""
    if doc_type not in _BUILDERS:
        raise ValueError(f"unknown document type {doc_type!r}; expected one of {', '.join(_BUILDERS)}")
    if rows < 0:
        raise ValueError("rows must not be negative")
    return _BUILDERS[doc_type](rows)


def sample_certificate_specs(count: int) -> list[CertificateSpec]:
    signer = SignatureBlock(
        authority_prefix="TM.",
        authority_line="ỦY BAN NHÂN DÂN",
        signer_title="CHỦ TỊCH",
        signer_name="Trần Đức Hòa",
    )
    return [
        CertificateSpec(
            kind="giay_cong_nhan",
            holder_name=f"Gia đình ông/bà {sample_name(i)}",
            holder_detail=f"{_VILLAGES[i % len(_VILLAGES)]}, xã Phong Nha, tỉnh Quảng Trị",
            title_awarded="Gia đình học tập năm 2026",
            decision_number="05/QĐ-UBND",
            decision_date=ISSUED_ON,
            issuer="ỦY BAN NHÂN DÂN XÃ PHONG NHA",
            signature=signer,
            place="Phong Nha",
            issued_on=ISSUED_ON,
            verify_url=f"https://hoctap.quangtri.gov.vn/xac-minh/GDHT26{i:06d}",
            short_code=f"GDHT26{i:06d}",
        )
        for i in range(count)
    ]


def render_sample(doc_type: str, *, rows: int, fmt: str) -> bytes:
    """Render a sample document (``qd``, ``ttr``, ``bc``, ``bb``, ``kh``, ``tb`` or ``certificates``).

    ``fmt`` is ``docx`` or ``pdf``; certificates exist only as PDF, ``rows`` being their count.
    """
    from .certificates import render_certificates_pdf
    from .docx import render_docx
    from .pdf import render_pdf

    if fmt not in ("docx", "pdf"):
        raise ValueError(f"unknown format {fmt!r}; expected docx or pdf")
    if doc_type == "certificates":
        if fmt != "pdf":
            raise ValueError("certificates are rendered as PDF only")
        return render_certificates_pdf(sample_certificate_specs(max(rows, 1)))
    spec = sample_document_spec(doc_type, rows=rows)
    return render_docx(spec) if fmt == "docx" else render_pdf(spec)
