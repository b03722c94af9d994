import re

import pytest
from django.urls import reverse

SECTIONS = ["guide", "rules", "content", "reports", "apply"]


def test_home_shows_the_column_with_its_four_parts_and_applications(county, client):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "测试县人民政府政府信息公开" in body
    for part in [
        "政府信息公开指南",
        "政府信息公开制度",
        "法定主动公开内容",
        "政府信息公开年报",
        "依申请公开",
    ]:
        assert part in body
    # Subordinate agencies are listed under their kind.
    assert "测试县民政局" in body and "测试县城关镇人民政府" in body


def test_site_agency_setting_chooses_the_home_page(county, client, settings):
    settings.SITE_AGENCY = "civil"
    assert "测试县民政局政府信息公开" in client.get("/").content.decode()


def test_an_empty_site_says_what_to_do(db, client):
    body = client.get("/").content.decode()
    assert "尚未设置行政机关" in body and "gongkai demo" in body


@pytest.mark.parametrize("section", SECTIONS)
def test_every_section_of_every_agency_opens(county, client, section):
    for agency in (county.county, county.civil, county.town):
        response = client.get(reverse(f"portal:{section}", args=[agency.slug]))
        assert response.status_code == 200
        assert agency.name in response.content.decode()


def test_guide_is_generated_from_the_agencys_data(county, client):
    civil = county.civil
    civil.fax = "0771-7654321"
    civil.email = "gk@civil.example.gov.cn"
    civil.save()
    body = client.get(reverse("portal:guide", args=[civil.slug])).content.decode()
    for value in [
        civil.office_name,
        civil.address,
        civil.office_hours,
        civil.phone,
        civil.fax,
        civil.email,
        civil.reconsideration_body,
        civil.organisation_code,
    ]:
        assert value in body
    assert "20个工作日" in body and "第三十一条" in body
    # 第四十二条: a fee "may" be charged; the guide does not promise one.
    assert "行政机关可以依照《政府信息公开信息处理费管理办法》收取信息处理费" in body
    # A county department publishes the 第二十一条 items of county governments, a township its own.
    assert "市政建设" in body
    town = client.get(reverse("portal:guide", args=[county.town.slug])).content.decode()
    assert "宅基地使用情况审核" in town and "市政建设" not in town


def test_content_lists_the_categories_of_article_20(county, client):
    body = client.get(reverse("portal:content", args=[county.civil.slug])).content.decode()
    assert body.count("第二十条（") == 15
    assert "财政预算、决算信息" in body


def test_an_inactive_or_unknown_agency_is_not_public(county, client):
    county.finance.is_active = False
    county.finance.save()
    assert client.get(reverse("portal:agency", args=["finance"])).status_code == 404
    assert client.get(reverse("portal:guide", args=["nope"])).status_code == 404
    assert "测试县财政局" not in client.get("/").content.decode()
    assert "页面不存在" in client.get("/org/nope/").content.decode()


def test_public_pages_carry_no_inline_script_and_a_strict_policy(county, client):
    for url in ["/", reverse("portal:guide", args=["civil"]), reverse("office:login")]:
        response = client.get(url)
        body = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), url
        assert not re.search(r"\son[a-z]+\s*=", body), url
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"


def test_pages_are_accessible_in_structure(county, client):
    body = client.get("/").content.decode()
    assert '<html lang="zh-Hans">' in body
    assert 'href="#main"' in body and 'id="main"' in body
    assert 'name="viewport"' in body
    assert body.count("<h1") == 1
    assert 'aria-current="page"' in body
    login = client.get(reverse("office:login")).content.decode()
    assert 'for="id_username"' in login and 'for="id_password"' in login
    assert 'autocomplete="current-password"' in login


def test_no_personal_or_staff_data_on_public_pages(county, client):
    for url in [
        "/",
        reverse("portal:guide", args=["civil"]),
        reverse("portal:agency", args=["civil"]),
    ]:
        body = client.get(url).content.decode()
        assert "clerk@example.org" not in body
        assert "clerk" not in re.sub(r"<[^>]+>", "", body)
