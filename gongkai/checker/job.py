"""The back office's batch check as a background job (``checker.batch``).

The page reads the uploads and opens their archives (``forms``), then ``submit`` packs the
reports into one zip in the default storage and queues the job; the worker checks them one
after another with progress, keeps the results in the job (its page and the Excel summary
read them there) and deletes the packed uploads. Nothing of the uploads outlives the job;
the results go when old jobs are pruned (``jobs.engine.prune``).
"""

from __future__ import annotations

import io
import json
import zipfile

from django.core.files.base import ContentFile

from gongkai.agencies import access
from gongkai.checker import batch, check, results
from gongkai.jobs import engine
from gongkai.jobs.models import Job

KIND = "checker.batch"
MANIFEST = "manifest.json"


def may_submit(user, _agency) -> bool:
    return access.is_staff_user(user)


def _packed(items: list[batch.Input], previous: list[batch.Input]) -> bytes:
    """One zip: the manifest names each report (in Unicode, whatever the archive it came
    from) and says which are last year's; the members hold the bytes."""
    buffer = io.BytesIO()
    manifest = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (item, is_previous) in enumerate(
            [*((i, False) for i in items), *((i, True) for i in previous)]
        ):
            entry = {"name": item.name, "previous": is_previous, "error": item.error}
            if item.error is None:
                entry["member"] = f"{index:04d}"
                archive.writestr(entry["member"], item.read())
            manifest.append(entry)
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False))
    return buffer.getvalue()


def _unpacked(data: bytes) -> tuple[list[batch.Input], list[batch.Input]]:
    items, previous = [], []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for entry in json.loads(archive.read(MANIFEST)):
            member = entry.get("member")
            item = batch.Input(
                entry["name"],
                data=archive.read(member) if member else None,
                error=entry.get("error"),
            )
            (previous if entry["previous"] else items).append(item)
    return items, previous


def _names(uploads) -> str:
    names = "、".join(getattr(f, "name", "") for f in uploads)
    return names if len(names) <= 200 else names[:199] + "…"


def submit(user, cleaned: dict) -> Job:
    """Queue the check of a valid ``forms.CheckForm``'s reports."""
    items, previous = cleaned["items"], cleaned["previous_items"]
    packed = ContentFile(_packed(items, previous), name=_names(cleaned["reports"]))
    title = f"检查 {len(items)} 份年度报告"
    if previous:
        title += f"（附上一年度报告 {len(previous)} 份）"
    return engine.submit(user, KIND, title=title, upload=packed)


def run(job: Job, progress: engine.Progress) -> dict:
    """The work of the job: last year's reports first, then each report."""
    with engine.open_input(job) as stored:
        try:
            items, previous_items = _unpacked(stored.read())
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise engine.JobFailed("保存的上传文件已损坏，请重新上传。") from exc
    previous = []
    if previous_items:
        progress.stage("读取上一年度报告", len(previous_items))
        for result in batch.run(previous_items):
            if result.report is not None:
                previous.append(result.report)
            progress.advance()
    note = ""
    if previous_items and not previous:
        note = "上传的上一年度报告都无法读取为报告，本次未核对上年结转。"
    elif previous_items:
        note = f"已读取 {len(previous)} 份上一年度报告，用于核对上年结转。"
    progress.stage("检查报告", len(items))
    checked: list[dict] = []
    for result in batch.run(items, previous=previous):
        checked.append(results.stored(result))
        progress.advance()
        progress.check()
    return {"note": note, "results": checked}


def checked(job: Job) -> list[check.Result]:
    return [results.restored(r) for r in (job.result or {}).get("results", [])]


def result_context(job: Job) -> dict:
    """What the job's result page shows (``jobs/result/checker.batch.html``)."""
    return {**results.context(checked(job)), "note": (job.result or {}).get("note", "")}
