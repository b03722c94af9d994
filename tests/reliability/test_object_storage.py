"""Uploaded files in S3-compatible object storage. moto's S3 server runs on a loopback port of
its own; gongkai is pointed at it through the GONGKAI_S3_* environment variables, read by
gongkai/settings.py (in a `gongkai serve` process, and in this process by running the settings
module again). Files go in through the pages, come out through the pages only to those who may
have them, are objects in the bucket and never files in MEDIA_ROOT, and a failed transaction
leaves no object."""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import io
import os
import re
import runpy
import subprocess
import sys
import urllib.parse
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import gongkai
from gongkai import config
from gongkai.applications import services as cases
from gongkai.applications.models import Application, Channel
from gongkai.catalog import services as catalog
from gongkai.catalog.models import Item
from gongkai.core import uploads
from gongkai.letters import documents
from gongkai.letters.models import Kind
from tests.conftest import subprocess_env
from tests.reliability.servers import free_port, need, stop, wait_for

MOTO = Path(sys.executable).parent / "moto_server"
KEY_ID, SECRET = "gongkai-test-key", "gongkai-test-secret-0123456789"
PUBLIC_GRANTEES = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)
APPLICANT = {
    "applicant_type": "natural_person",
    "name": "李四",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13912345678",
    "email": "lisi@example.org",
    "address": "云溪县城关镇2号",
    "postcode": "",
    "description": "2025年本镇危房改造补助名单",
    "delivery": "email",
}


def pdf(size: int) -> bytes:
    """A file the attachment check accepts as a PDF, with random bytes to compare."""
    return b"%PDF-1.4\n" + os.urandom(size)


# --- the S3 server ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    need(str(MOTO))
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(MOTO), "-H", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**subprocess_env(log.parent), "AWS_ACCESS_KEY_ID": KEY_ID},
        )
    try:
        wait_for(port, process, f"moto_server (see {log})", seconds=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@dataclass
class Bucket:
    endpoint: str
    name: str

    @property
    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=KEY_ID,
            aws_secret_access_key=SECRET,
        )

    def objects(self) -> dict[str, bytes]:
        listing = self.client.list_objects_v2(Bucket=self.name).get("Contents", [])
        return {
            o["Key"]: self.client.get_object(Bucket=self.name, Key=o["Key"])["Body"].read()
            for o in listing
        }

    def public_grants(self, key: str) -> list:
        grants = self.client.get_object_acl(Bucket=self.name, Key=key)["Grants"]
        return [g for g in grants if g["Grantee"].get("URI") in PUBLIC_GRANTEES]

    def environment(self) -> dict[str, str]:
        return {
            "GONGKAI_S3_BUCKET": self.name,
            "GONGKAI_S3_ENDPOINT_URL": self.endpoint,
            "GONGKAI_S3_REGION": "us-east-1",
            "GONGKAI_S3_ACCESS_KEY_ID": KEY_ID,
            "GONGKAI_S3_SECRET_ACCESS_KEY": SECRET,
        }


@pytest.fixture
def bucket(s3_endpoint) -> Bucket:
    made = Bucket(s3_endpoint, f"gongkai-{uuid.uuid4().hex[:12]}")
    made.client.create_bucket(Bucket=made.name)
    return made


@pytest.fixture
def in_bucket(bucket, monkeypatch, settings, tmp_path) -> Bucket:
    """This process's storage as gongkai/settings.py makes it from the environment."""
    for name, value in bucket.environment().items():
        monkeypatch.setenv(name, value)
    loaded = runpy.run_path(str(Path(gongkai.__file__).with_name("settings.py")))
    assert loaded["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    settings.STORAGES = loaded["STORAGES"]
    settings.MEDIA_ROOT = tmp_path / "media"
    yield bucket
    assert not (tmp_path / "media").exists(), "a file was written to MEDIA_ROOT"


# --- HTTP as a browser would, with raw bytes and multipart forms ----------------------------


class Browser:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=b"", content_type=""):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": "localhost"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers.update(
                {
                    "Content-Type": content_type,
                    "Origin": "http://localhost",
                    "Referer": f"http://localhost{path}",
                }
            )
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";")[0]
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields: dict, files=()):
        fields = {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        if not files:
            body = urllib.parse.urlencode(fields).encode()
            return self.request("POST", path, body, "application/x-www-form-urlencoded")
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        for field, filename, data, content_type in files:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
                + data
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}"
        )

    def log_in(self, username: str) -> Browser:
        self.get("/office/login/")
        status, _, _ = self.post(
            "/office/login/", {"username": username, "password": "gongkai-demo"}
        )
        assert status == 302, f"{username} could not log in"
        return self


def find(pattern: str, page: bytes) -> str:
    match = re.search(pattern, page.decode("utf-8"))
    assert match, f"{pattern!r} not on the page"
    return match.group(1)


# --- gongkai serve configured through the environment ----------------------------------------


def test_an_attachment_goes_through_gongkai_serve_into_the_bucket_and_out_to_its_handler(
    bucket, tmp_path
):
    data_dir = tmp_path / "data"
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gongkai", "serve", "--demo", "--port", str(port)],
            env={**subprocess_env(data_dir), **bucket.environment()},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(port, server, f"gongkai serve (see {log})")
        scan = pdf(9 * 1024 * 1024)  # above boto3's multipart threshold (8 MB)
        photo = b"\x89PNG\r\n\x1a\n" + os.urandom(30_000)
        public = Browser(port)
        _, _, page = public.get("/org/mzj/apply/")
        token = find(r'name="token" value="([0-9a-f]+)"', page)
        status, headers, _ = public.post(
            "/org/mzj/apply/",
            {**APPLICANT, "token": token, "confirm": "on"},
            files=[
                ("attachments", "身份证明.pdf", scan, "application/pdf"),
                ("attachments", "照片.png", photo, "image/png"),
            ],
        )
        assert status == 302, log.read_text()
        _, _, page = public.get(headers["location"])
        tracking = find(r'class="code">(\d{4}-\d{4}-\d{5})<', page)

        # The objects in the bucket are the two files, under their hashes, not public.
        objects = bucket.objects()
        assert sorted(objects.values()) == sorted([scan, photo])
        agency_id = int(next(iter(objects)).split("/")[1])
        for key, data in objects.items():
            digest = hashlib.sha256(data).hexdigest()
            assert key == f"applications/{agency_id}/{digest[:2]}/{digest}"
        # (moto 5.2.5 answers 500 for the ACL of an object uploaded in parts: the small one.)
        (small,) = [key for key, data in objects.items() if data == photo]
        assert bucket.public_grants(small) == []

        clerk = Browser(port).log_in("mzj-clerk")
        _, _, page = clerk.get(f"/office/agencies/{agency_id}/cases/?view=pending&q={tracking}")
        case = find(r'href="/office/cases/(\d+)/"', page)
        status, _, page = clerk.get(f"/office/cases/{case}/")
        assert status == 200
        assert bucket.endpoint.encode() not in page  # no address of the storage on the page
        links = re.findall(rf"/office/cases/{case}/attachments/\d+/", page.decode())
        assert len(set(links)) == 2
        downloads = {}
        for link in sorted(set(links)):
            status, headers, body = clerk.get(link)
            assert status == 200
            assert headers["content-disposition"].startswith("attachment")
            assert headers["content-length"] == str(len(body))
            downloads[link] = body
        assert sorted(downloads.values()) == sorted([scan, photo])
        download = next(link for link, body in downloads.items() if body == scan)

        # Another agency's clerk, a supervisor (reads, never the applicant's papers) and the
        # public do not get it.
        assert Browser(port).log_in("chengguan-clerk").get(download)[0] == 403
        assert Browser(port).log_in("yunxi-supervisor").get(download)[0] == 403
        status, headers, body = Browser(port).get(download)
        assert status == 302 and "/office/login/" in headers["location"] and scan not in body

        assert not (data_dir / "media").exists()
    finally:
        stop(server)


# --- the pages in this process, the storage made by settings.py from the environment ---------


def test_a_published_items_file_is_kept_in_the_bucket_and_served_only_once_published(
    county, in_bucket
):
    import docx

    document = docx.Document()
    document.add_paragraph("联系人：王某，电话 13800138000。")
    buffer = io.BytesIO()
    document.save(buffer)
    table = buffer.getvalue()
    clerk = county.client_for(county.clerk)
    response = clerk.post(
        reverse("office:item_create", args=[county.civil.pk]),
        {
            "title": "2026年城乡低保标准调整表",
            "category": "a20-11",
            "kind": "normative",
            "formed_on": "2026-09-28",
            "written_on": "",
            "disclosure": "proactive",
            "validity": "in_force",
            "body": "各乡镇：\n\n见附件。",
            "attachments": [SimpleUploadedFile("标准表.docx", table)],
        },
    )
    assert response.status_code == 302
    item = Item.objects.get()
    attachment = item.draft.attachments.get()
    assert in_bucket.objects() == {attachment.file.name: table}
    assert attachment.file.name.startswith(f"catalog/{county.civil.pk}/")
    assert in_bucket.public_grants(attachment.file.name) == []

    # Submitting scans the DOCX read back from the bucket: the phone number is found.
    assert clerk.post(reverse("office:item_step", args=[item.pk, "submit"])).status_code == 302
    item.refresh_from_db()
    assert any(f["kind"] == "mobile" for f in item.draft.findings)

    public_url = reverse("portal:item_file", args=["civil", item.pk, attachment.pk])
    office_url = reverse("office:item_attachment", args=[item.pk, attachment.pk])
    assert county.client_for(None).get(public_url).status_code == 404  # not published yet
    for persona in ("reviewer1", "reviewer2", "reviewer3", "secrecy"):
        for finding in catalog.findings_of(item.draft):
            item = catalog.acknowledge(
                getattr(county, persona),
                item,
                key=finding["key"],
                action="kept",
                reason="电话为公开的办事电话",
            )
        item = catalog.approve(getattr(county, persona), item)
    assert item.published_id

    response = county.client_for(None).get(public_url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == table
    response = county.client_for(county.reviewer1).get(office_url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == table
    assert county.client_for(county.other_clerk).get(office_url).status_code == 403
    other = reverse("portal:item_file", args=["finance", item.pk, attachment.pk])
    assert county.client_for(None).get(other).status_code == 404
    page = county.client_for(None).get(reverse("portal:item", args=["civil", item.pk]))
    assert public_url in page.content.decode()
    assert in_bucket.endpoint not in page.content.decode()


def test_a_reply_letter_is_made_for_the_handler_and_stored_nowhere(county, in_bucket):
    scan = pdf(200_000)
    application, _ = cases.register(
        county.clerk,
        county.civil,
        APPLICANT,
        channel=Channel.IN_PERSON,
        submitted_on=dt.date(2026, 9, 28),
        files=[SimpleUploadedFile("scan.pdf", scan)],
    )
    cases.decide(
        county.clerk,
        application,
        "granted",
        legal_basis="",
        decision_text="所需信息见附件。",
        decided_on=dt.date(2026, 10, 12),
        disclosure="provided",
        provision_form="email",
        provision_route="发送至申请人登记的电子邮箱",
        provision_from=dt.date(2026, 10, 12),
    )
    stored = in_bucket.objects()
    assert list(stored.values()) == [scan]

    url = reverse("office:letter_download", args=[application.pk, Kind.REPLY_GRANTED.value, "docx"])
    response = county.client_for(county.clerk).get(url)
    assert response.status_code == 200
    letter = documents.render(
        Application.objects.get(pk=application.pk),
        Kind.REPLY_GRANTED,
        query_url="http://testserver/status/",
    )
    # The same document; the zip's member timestamps may differ by a tick, so compare members.
    assert _docx_parts(response.content) == _docx_parts(documents.to_docx(letter))
    pdf_response = county.client_for(county.clerk).get(url.replace(".docx", ".pdf"))
    assert pdf_response.status_code == 200 and pdf_response.content.startswith(b"%PDF")
    assert county.client_for(county.other_clerk).get(url).status_code == 403
    assert county.client_for(None).get(url).status_code == 302  # to the login page
    # Letters are made from the case on each download: nothing new in the bucket.
    assert in_bucket.objects() == stored

    attachment = application.attachments.get()
    download = reverse("office:attachment", args=[application.pk, attachment.pk])
    response = county.client_for(county.clerk).get(download)
    assert b"".join(response.streaming_content) == scan
    assert county.client_for(county.other_clerk).get(download).status_code == 403


class BrokenUpload(SimpleUploadedFile):
    """An upload whose client went away while it was being read."""

    def chunks(self, chunk_size=None):
        yield self.read(10)
        raise OSError("连接已断开")


def test_a_failed_submission_leaves_no_object(county, in_bucket):
    first = pdf(50_000)
    kept, _ = cases.submit_online(
        county.civil, APPLICANT, files=[SimpleUploadedFile("a.pdf", first)]
    )
    (kept_name,) = in_bucket.objects()

    # The same file again (the same content-addressed name) and then a failing one: the
    # transaction fails after the first object was stored, and that object is deleted.
    with pytest.raises(OSError):
        cases.submit_online(
            county.civil,
            APPLICANT,
            files=[SimpleUploadedFile("a.pdf", first), BrokenUpload("b.pdf", pdf(1000))],
        )
    assert Application.objects.count() == 1
    # The earlier application's object, with the same bytes, is not touched.
    assert in_bucket.objects() == {kept_name: first}
    download = reverse("office:attachment", args=[kept.pk, kept.attachments.get().pk])
    response = county.client_for(county.clerk).get(download)
    assert b"".join(response.streaming_content) == first

    # A submission that succeeded inside a larger block that then fails is undone with it.
    with pytest.raises(RuntimeError), uploads.atomic():
        cases.submit_online(county.civil, APPLICANT, files=[SimpleUploadedFile("c.pdf", pdf(99))])
        assert len(in_bucket.objects()) == 2
        raise RuntimeError("a later step failed")
    assert in_bucket.objects() == {kept_name: first}
    assert Application.objects.count() == 1

    # A draft item whose second file fails: neither its row nor its first object remain.
    with pytest.raises(OSError):
        catalog.create(
            county.clerk,
            county.civil,
            {
                "title": "测试",
                "category": "a20-11",
                "kind": "normative",
                "formed_on": dt.date(2026, 9, 28),
                "body": "见附件。",
            },
            attachments=[SimpleUploadedFile("x.pdf", pdf(10)), BrokenUpload("y.pdf", b"z" * 20)],
        )
    assert not Item.objects.exists()
    assert in_bucket.objects() == {kept_name: first}


def test_a_form_refused_before_storing_leaves_no_object(county, in_bucket, client):
    page = client.get(reverse("portal:apply", args=["civil"])).content
    token = find(r'name="token" value="([0-9a-f]+)"', page)
    response = client.post(
        reverse("portal:apply", args=["civil"]),
        {
            **APPLICANT,
            "token": token,
            "confirm": "on",
            "attachments": [
                SimpleUploadedFile("scan.pdf", pdf(100)),
                SimpleUploadedFile("fake.pdf", b"MZ not a pdf"),
            ],
        },
    )
    assert response.status_code == 400 and "内容与扩展名不符" in response.content.decode()
    assert in_bucket.objects() == {}
    assert not Application.objects.exists()


# --- bad configuration ------------------------------------------------------------------------


def _gongkai(tmp_path, *args, env: dict[str, str]):
    return subprocess.run(
        [sys.executable, "-m", "gongkai", *args],
        env={**subprocess_env(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_bad_configuration_stops_the_start_with_a_chinese_message(bucket, tmp_path):
    incomplete = {"GONGKAI_S3_BUCKET": bucket.name, "GONGKAI_S3_ENDPOINT_URL": bucket.endpoint}
    result = _gongkai(tmp_path, "serve", "--port", str(free_port()), env=incomplete)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "配置错误" in result.stderr and "Traceback" not in result.stderr
    assert "GONGKAI_S3_ACCESS_KEY_ID、GONGKAI_S3_SECRET_ACCESS_KEY" in result.stderr

    # Well-formed but wrong: the bucket does not exist, or nothing listens at the address.
    for changes, message in [
        ({"GONGKAI_S3_BUCKET": "no-such-bucket-here"}, "不存在"),
        ({"GONGKAI_S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}"}, "无法连接"),
    ]:
        result = _gongkai(
            tmp_path, "serve", "--port", str(free_port()), env={**bucket.environment(), **changes}
        )
        assert result.returncode != 0
        assert "gongkai.E040" in result.stderr and message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "gongkai.sqlite3").exists()  # refused before migrating

    result = _gongkai(tmp_path, "manage", "check", env=bucket.environment())
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"GONGKAI_S3_BUCKET": ""}, "但没有设置 GONGKAI_S3_BUCKET"),
        ({"GONGKAI_S3_BUCKET": "Gongkai_Files"}, "不是有效的存储桶名称"),
        ({"GONGKAI_S3_ENDPOINT_URL": "127.0.0.1:9000"}, "应写成 https://主机[:端口]"),
        ({"GONGKAI_S3_ENDPOINT_URL": "https://s3.example.gov.cn/gongkai"}, "不带路径"),
        ({"GONGKAI_S3_ENDPOINT_URL": "https://s3.example.gov.cn:99999"}, "应写成"),
        ({"GONGKAI_S3_REGION": "华东 1"}, "不是有效的区域名称"),
        ({"GONGKAI_S3_ADDRESSING_STYLE": "auto"}, "无法识别"),
        ({"GONGKAI_S3_SECRET_ACCESS_KEY": "abc def"}, "空白字符"),
        ({"GONGKAI_S3_ACCESS_KEY_ID": ""}, "缺少 GONGKAI_S3_ACCESS_KEY_ID"),
    ],
)
def test_each_malformed_setting_is_named(monkeypatch, changes, fragment):
    good = {
        "GONGKAI_S3_BUCKET": "gongkai-files",
        "GONGKAI_S3_ENDPOINT_URL": "https://s3.example.gov.cn",
        "GONGKAI_S3_ACCESS_KEY_ID": "key",
        "GONGKAI_S3_SECRET_ACCESS_KEY": "secret",
    }
    for name, value in {**good, **changes}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(config.ConfigError, match=re.escape(fragment)):
        config.file_storage()


def test_without_a_bucket_files_stay_in_the_data_folder(monkeypatch):
    for name in (config.S3_BUCKET, *config.S3_SETTINGS):
        monkeypatch.delenv(name, raising=False)
    assert config.file_storage() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    monkeypatch.setenv("GONGKAI_S3_BUCKET", "gongkai-files")
    monkeypatch.setenv("GONGKAI_S3_ENDPOINT_URL", "http://127.0.0.1:9000/")
    monkeypatch.setenv("GONGKAI_S3_ACCESS_KEY_ID", "key")
    monkeypatch.setenv("GONGKAI_S3_SECRET_ACCESS_KEY", "secret")
    options = config.file_storage()["OPTIONS"]
    assert options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["region_name"] == "us-east-1"
    assert options["file_overwrite"] is False and options["default_acl"] is None


def test_a_storage_across_the_network_without_https_is_warned_about(monkeypatch, settings):
    from gongkai.core.checks import check_object_storage_transport

    monkeypatch.setenv("GONGKAI_S3_BUCKET", "gongkai-files")
    monkeypatch.setenv("GONGKAI_S3_ACCESS_KEY_ID", "key")
    monkeypatch.setenv("GONGKAI_S3_SECRET_ACCESS_KEY", "secret")
    found = {}
    for endpoint in (
        "http://minio.example.gov.cn:9000",
        "https://oss.example.gov.cn",
        "http://127.0.0.1:9000",
    ):
        monkeypatch.setenv("GONGKAI_S3_ENDPOINT_URL", endpoint)
        settings.STORAGES = {**settings.STORAGES, "default": config.file_storage()}
        found[endpoint] = [w.id for w in check_object_storage_transport(None)]
    assert found == {
        "http://minio.example.gov.cn:9000": ["gongkai.W003"],
        "https://oss.example.gov.cn": [],
        "http://127.0.0.1:9000": [],
    }


def _docx_parts(data: bytes) -> dict[str, bytes]:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
