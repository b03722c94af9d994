"""The working-day calendar page of the back office: the years the calendar knows, what is
provisional, and adding a year from the pasted State Council notice (through
``calendar_years.add_year``, the one path for the page and the command line)."""

import unicodedata

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from gongkai.agencies import access
from gongkai.applications import calendar_years, services
from gongkai.clock import grid, notice, statutory
from gongkai.clock.loader import work_calendar
from gongkai.clock.workcalendar import (
    CalendarError,
    WorkCalendar,
)


def _calendar_input(request) -> str:
    """What the administrator gave: the uploaded file's text, else the pasted text. Raises
    CalendarError for an unreadable upload or too long a text."""
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size > notice.FILE_LIMIT:
            raise CalendarError(f"文件不应超过 {notice.FILE_LIMIT // 1000} KB。")
        text = notice.decode(upload.read(), "上传的文件")
    else:
        text = request.POST.get("data", "")
    if len(text) > notice.TEXT_LIMIT:
        raise CalendarError(notice.TOO_LONG)
    return text


def _added_message(added: calendar_years.Added) -> str:
    if added.unchanged:
        return added.summary()
    return (
        f"{added.summary()}{len(added.moved)} 件办理中的申请期限随之变动，"
        f"{added.items_moved} 条待发布信息的应公开日期随之变动。"
    )


@login_required
def calendars(request):
    """Years the calendar knows, and what is provisional. A system administrator pastes the
    State Council's notice (or a year file), sees the year as month grids, and confirms; the
    one service saves it, records it and recomputes the open cases."""
    access.require(access.is_staff_user(request.user))
    is_admin = access.is_system_admin(request.user)
    error = ""
    text = ""
    preview = None
    year_field = unicodedata.normalize("NFKC", request.POST.get("year", "")).strip()
    if request.method == "POST":
        access.require(is_admin)
        data = read = None
        try:
            if year_field and not (
                year_field.isascii() and year_field.isdigit() and len(year_field) <= 4
            ):
                raise CalendarError("年份应为四位数字，如 2027。")
            year = int(year_field) if year_field else None
            if year is not None and not 1950 <= year <= 2199:
                raise CalendarError("年份应为四位数字，如 2027。")
            text = _calendar_input(request)
            data, read = notice.read_year(text, year=year, where="提交的日历数据")
        except CalendarError as exc:
            error = str(exc)
        if not error and request.POST.get("action") == "save":
            how = "粘贴的通知全文" if read is not None else "JSON 数据"
            try:
                added = calendar_years.add_year(
                    request.user,
                    data,
                    origin=f"后台工作日历页面（{how}）",
                    accept_missing=request.POST.get("accept_missing") == "1",
                )
            except CalendarError as exc:
                error = str(exc)
            except OSError as exc:
                error = (
                    f"无法保存 {data.year} 年的日历文件（{exc.strerror or exc}）：请检查数据目录"
                    "的 calendars 文件夹是否可写。什么也没有保存。"
                )
            else:
                messages.success(request, _added_message(added))
                return redirect("office:calendars")
        if data is not None:
            calendar = work_calendar()
            years = dict(calendar.years)
            years[data.year] = data
            preview_calendar = WorkCalendar(years.values())
            months = grid.months(preview_calendar, data.year)
            preview = {
                "data": data,
                "read": read,
                "months": months,
                "workdays": sum(m.workdays for m in months),
                "replaces": calendar.years.get(data.year),
                "earlier": sorted(
                    d for d in data.rest_days | data.make_up_workdays if d.year < data.year
                ),
                "missing": statutory.missing_festivals(data.year, data.rest_days),
            }
    calendar = work_calendar()
    years = [calendar.years[y] for y in sorted(calendar.years, reverse=True)]
    following = services.today().year + 1
    moved = list(calendar_years.recently_moved()[:1000]) if is_admin else []
    return render(
        request,
        "office/calendars.html",
        {
            "years": years,
            "is_admin": is_admin,
            "error": error,
            "text": text,
            "year_field": year_field,
            "preview": preview,
            "next_year": following,
            "next_provisional": calendar.is_provisional(following),
            "why": statutory.why([following]),
            "moved_days": calendar_years.MOVED_DAYS,
            "moved": moved,
        },
        status=400 if error else 200,
    )
