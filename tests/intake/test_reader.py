from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from accord.intake import IntakeError, read_document

from .conftest import make_docx, make_pdf


def test_docx_paragraphs_and_tables_are_read_in_order() -> None:
    data = make_docx(["合作协议", "第一条 甲方负责提供场地。"], table=[["名称", "金额"], ["经费", "100万元"]])
    result = read_document(data, "agreement.docx")
    assert result.format == "docx"
    assert "第一条 甲方负责提供场地。" in result.text
    assert "经费\t100万元" in result.text
    assert result.text.index("合作协议") < result.text.index("经费")
    assert result.sha256 == hashlib.sha256(data).hexdigest()


def test_docx_list_numbering_is_rendered_as_text() -> None:
    data = make_docx(["Terms"], numbered=["Party A shall pay.", "Party B shall deliver."])
    text = read_document(data, "a.docx").text
    assert "1. Party A shall pay.\n2. Party B shall deliver." in text


def test_pdf_text_layer_is_extracted(pdf_bytes: bytes) -> None:
    result = read_document(pdf_bytes, "scan.PDF")
    assert result.format == "pdf"
    assert "Party A shall provide office space" in result.text


def test_utf8_text_is_decoded() -> None:
    result = read_document("第一条 双方应当共同推进。".encode(), "a.txt")
    assert result.encoding == "utf-8"
    assert result.text.startswith("第一条")


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_chinese_legacy_encodings_are_decoded(encoding: str) -> None:
    original = "甲方：重庆市万州区人民政府\n乙方：重庆大学\n第一条 乙方负责组建研究团队。"
    result = read_document(original.encode(encoding), "a.txt")
    assert result.text == original
    assert result.encoding is not None


def test_markdown_heading_marks_are_removed() -> None:
    result = read_document(b"# Agreement\n\n**1.** Party A shall pay.", "a.md")
    assert result.format == "md"
    assert result.text.splitlines()[0] == "Agreement"
    assert "1. Party A shall pay." in result.text


def test_html_is_stripped_without_scripts_or_styles() -> None:
    html = (
        b"<html><head><title>x</title><style>p{}</style></head><body><script>alert(1)</script>"
        b"<p>1. Party A shall pay &amp; report.</p><p>2. Party B shall deliver.</p></body></html>"
    )
    result = read_document(html, "page.html")
    assert "alert" not in result.text and "p{}" not in result.text
    assert "1. Party A shall pay & report." in result.text
    assert "\n2. Party B shall deliver." in result.text


def _code(data: bytes, name: str, **kwargs: int) -> str:
    with pytest.raises(IntakeError) as info:
        read_document(data, name, **kwargs)
    assert str(info.value)  # an English message exists for every code
    return info.value.code


def test_unknown_extension_is_unsupported() -> None:
    assert _code(b"MZ\x90\x00", "setup.exe") == "unsupported_type"


def test_legacy_doc_is_converted_in_the_background() -> None:
    assert _code(b"\xd0\xcf\x11\xe0", "old.doc") == "needs_conversion"


def test_file_over_the_limit_is_too_large() -> None:
    with pytest.raises(IntakeError) as info:
        read_document(b"x" * 101, "a.txt", max_bytes=100)
    assert info.value.code == "too_large"
    assert info.value.params == {"size": 101, "limit": 100}


def test_docx_that_is_not_a_zip_is_corrupt() -> None:
    assert _code(b"this is not a zip", "a.docx") == "corrupt_file"


def test_zip_without_a_document_part_is_corrupt() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert _code(buffer.getvalue(), "a.docx") == "corrupt_file"


def test_docx_expanding_hugely_is_a_zip_bomb() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (12 * 1024 * 1024))
    assert _code(buffer.getvalue(), "bomb.docx") == "zip_bomb"


def test_truncated_pdf_is_corrupt() -> None:
    assert _code(b"%PDF-1.4\n1 0 obj\n<<", "a.pdf") == "corrupt_file"


def test_pdf_without_header_is_corrupt() -> None:
    assert _code(b"hello", "a.pdf") == "corrupt_file"


def test_password_protected_pdf_is_encrypted(pdf_bytes: bytes) -> None:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_bytes)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert _code(buffer.getvalue(), "locked.pdf") == "encrypted"


def test_pdf_of_blank_pages_has_no_text_layer() -> None:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert _code(buffer.getvalue(), "scan.pdf") == "no_text_layer"


def test_binary_bytes_are_undecodable() -> None:
    assert _code(bytes(range(256)) * 4, "a.txt") == "undecodable"


def test_whitespace_only_file_is_empty() -> None:
    assert _code(b"  \n\n \t ", "a.txt") == "empty"


def test_pdf_helper_produces_readable_pdf() -> None:
    assert make_pdf(["x"]).startswith(b"%PDF-1.4")


def test_pdf_page_numbers_and_repeated_headers_are_dropped() -> None:
    from accord.intake.reader import strip_page_furniture

    pages = [f"合作协议\n第{i}条 甲方负责。\n- {i} -" for i in range(1, 5)]
    assert strip_page_furniture(pages) == [f"第{i}条 甲方负责。" for i in range(1, 5)]


def test_password_protected_docx_is_encrypted() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 64
    assert _code(ole, "secret.docx") == "encrypted"


def test_legacy_word_file_renamed_to_docx_is_converted_as_a_doc() -> None:
    assert _code(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 128, "old.docx") == "needs_conversion"


def test_letter_spaced_chinese_from_pdf_is_joined() -> None:
    from accord.intake.reader import close_cjk_spacing

    assert close_cjk_spacing("第 一 条 甲 方 负 责 提 供 场 地 。") == "第一条甲方负责提供场地。"
    assert (
        close_cjk_spacing("甲方 负责提供场地，乙方 负责派遣人员。")
        == "甲方 负责提供场地，乙方 负责派遣人员。"
    )
