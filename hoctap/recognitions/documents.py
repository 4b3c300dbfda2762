"""The decided round as paper: the Quyết định công nhận with its attached list, and the certificates."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from hoctap.documents.issuers import issuer_for
from hoctap.documents.rendering import (
    Article,
    AttachedList,
    CertificateSpec,
    Column,
    DocumentSpec,
    SignatureBlock,
)
from hoctap.recognitions.criteria import criteria_set
from hoctap.recognitions.models import Recognition, Round

PLAN_BASIS = (
    "Kế hoạch số 2557/KH-UBND ngày 11/12/2023 của UBND tỉnh Quảng Bình triển khai Phong trào "
    "“Cả nước thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời” giai đoạn 2023-2030"
)


def _signature(round: Round) -> SignatureBlock:
    return SignatureBlock(
        authority_prefix="TM.",
        authority_line="ỦY BAN NHÂN DÂN",
        signer_title="CHỦ TỊCH",
        signer_name=round.decision_signer,
    )


def _recognised(round: Round) -> list[Recognition]:
    return list(round.recognitions.filter(status=Recognition.Status.VALID).order_by("subject_name", "pk"))


def _criteria_basis(round: Round) -> str:
    source = criteria_set(code=round.criteria_code, version=round.criteria_version).legal_source
    if source.date is None:
        return f"Căn cứ {source.number};"
    title = source.title[:1].lower() + source.title[1:]
    return f"Căn cứ {source.number} ngày {source.date:%d/%m/%Y} của {source.issuer} về {title};"


def decision_spec(round: Round) -> DocumentSpec:
    """The decision of a decided round, numbered in the commune's register, with the list attached."""
    assert round.decision_date is not None
    issuer = issuer_for(unit=round.commune, on=round.decision_date)
    title = round.get_model_display()
    recs = _recognised(round)
    number = int(round.decision_number.split("/")[0]) if round.decision_number[:1].isdigit() else None
    rows = tuple((str(i), r.subject_name, r.subject_detail, r.code) for i, r in enumerate(recs, start=1))
    attachment = AttachedList(
        title=f"DANH SÁCH ĐƯỢC CÔNG NHẬN DANH HIỆU “{title.upper()}” NĂM {round.year}",
        subtitle=f"(Kèm theo Quyết định số {round.decision_number} của {issuer.issuing_body.title()})",
        columns=(
            Column(title="STT", width_mm=12, align="center"),
            Column(title="Họ và tên", width_mm=70),
            Column(title="Thôn, tổ dân phố", width_mm=50),
            Column(title="Mã xác minh", width_mm=33, align="center"),
        ),
        rows=rows,
    )
    return DocumentSpec(
        doc_type="qd",
        parent_body=issuer.parent_body,
        issuing_body=issuer.issuing_body,
        symbol="QĐ-UBND",
        number=number,
        issued_on=round.decision_date,
        place=issuer.place,
        summary=f"Về việc công nhận danh hiệu “{title}” năm {round.year}",
        authority_heading=f"CHỦ TỊCH {issuer.issuing_body}",
        basis=(
            "Căn cứ Luật Tổ chức chính quyền địa phương;",
            _criteria_basis(round),
            f"Căn cứ {PLAN_BASIS};",
            "Xét đề nghị của Hội Khuyến học và công chức Văn hóa - Xã hội.",
        ),
        enacting_word="QUYẾT ĐỊNH:",
        articles=(
            Article(
                text=f"Công nhận danh hiệu “{title}” năm {round.year} cho {len(recs)} đối tượng "
                "(có danh sách kèm theo)."
            ),
            Article(text="Quyết định này có hiệu lực kể từ ngày ký."),
            Article(
                text="Văn phòng HĐND và UBND, Hội Khuyến học, trưởng các thôn, tổ dân phố và các "
                "đối tượng có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này."
            ),
        ),
        attachment=attachment,
        signature=_signature(round),
        recipients=("Như Điều 3", "Hội Khuyến học tỉnh", "Lưu: VT, VHXH"),
    )


def verify_url(code: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("verify_code", args=[code])


def certificate_specs(round: Round) -> list[CertificateSpec]:
    assert round.decision_date is not None
    issuer = issuer_for(unit=round.commune, on=round.decision_date)
    return [
        CertificateSpec(
            kind="giay_cong_nhan",
            holder_name=r.subject_name,
            holder_detail=r.subject_detail,
            title_awarded=f"{round.get_model_display()} năm {round.year}",
            decision_number=round.decision_number,
            decision_date=round.decision_date,
            issuer=issuer.issuing_body,
            signature=_signature(round),
            place=issuer.place,
            issued_on=round.decision_date,
            verify_url=verify_url(r.code),
            short_code=r.code,
        )
        for r in _recognised(round)
    ]
