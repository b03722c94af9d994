"""The ledger pages of the back office: upload a ledger to import, download the agency's
applications as a ledger, download the blank template."""

from __future__ import annotations

import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render

from gongkai.agencies.shortcuts import agency_context, agency_for
from gongkai.applications import services
from gongkai.core import params
from gongkai.jobs import engine
from gongkai.jobs.models import Job
from gongkai.ledger import importer, workbook

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="台账文件",
        help_text="Excel 工作簿（.xlsx），不超过 20 MB。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}),
    )
    skip_bad_rows = forms.BooleanField(
        label="跳过有问题的行",
        required=False,
        help_text="不勾选时，台账中只要有一行有问题，就不导入任何内容。",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                f"只接受 Excel 工作簿（.xlsx）文件，“{upload.name}”不是。"
                "旧版 .xls 请先在 Excel 或 WPS 中另存为 .xlsx。"
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"文件大小 {upload.size / 1024 / 1024:.1f} MB，超过 20 MB 的上限；"
                "请按年度拆分台账后分别导入。"
            )
        # The quick look now (an .xls, a renamed text file); the rest in the background job.
        try:
            workbook.check_signature(upload, upload.name)
        except workbook.LedgerError as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload


@login_required
def index(request, pk):
    agency = agency_for(request, pk)
    can_import = services.can_handle(request.user, agency)
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied("只有本机关的承办人员或负责人可以导入台账。")
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = engine.submit(
                    request.user,
                    "ledger.import",
                    title=f"导入台账 {upload.name}",
                    agency=agency,
                    params={"skip_bad_rows": form.cleaned_data["skip_bad_rows"]},
                    upload=upload,
                )
            except engine.JobRefused as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("office:job", job.pk)
    else:
        form = UploadForm() if can_import else None
    recent = Job.objects.filter(agency=agency, kind="ledger.import")[:5]
    return render(
        request,
        "ledger/index.html",
        {
            **agency_context(request, agency, "ledger"),
            "form": form,
            "can_import": can_import,
            "recent_jobs": recent,
        },
    )


def _download(buffer: io.BytesIO, filename: str) -> FileResponse:
    buffer.seek(0)
    response = FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def export(request, pk):
    agency = agency_for(request, pk)
    try:
        year = params.year(request.GET.get("year"))
    except params.BadParameter as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    buffer = io.BytesIO()
    importer.export(buffer, agency, year)
    suffix = f"-{year}年" if year else ""
    return _download(buffer, f"{agency.name}-政府信息公开申请台账{suffix}.xlsx")


@login_required
def template(request, pk):
    agency_for(request, pk)
    buffer = io.BytesIO()
    workbook.write_template(buffer)
    return _download(buffer, "政府信息公开工作台账模板.xlsx")
