"""The page of a background job: how far it has got, then what came of it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.agencies import access
from gongkai.jobs import engine
from gongkai.jobs.models import Job


def visible_job(request, pk: int) -> Job:
    """The job, if the user may see it: anyone who reads its agency, or for a job about no
    agency its submitter (and the system administrator)."""
    job = get_object_or_404(Job.objects.select_related("agency", "created_by"), pk=pk)
    if job.agency is not None:
        access.require(access.can_read(request.user, job.agency))
    elif job.created_by_id != request.user.pk and not request.user.is_superuser:
        raise PermissionDenied("这是别人提交的任务。")
    return job


def status(job: Job) -> dict:
    """What the page and its script show of a job while it runs."""
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": "已中断" if job.silent else job.get_state_display(),
        "stalled": job.stalled,
        "stage": job.stage,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "finished": job.finished,
        "silent": job.silent,
        "error": job.error,
    }


@login_required
def detail(request, pk):
    job = visible_job(request, pk)
    can_rerun = job.may_run_again and engine.may_submit(request.user, job.kind, job.agency)
    return render(
        request,
        "jobs/detail.html",
        {
            "job": job,
            "agency": job.agency,
            "status": status(job),
            "kind_label": engine.label(job.kind),
            "can_rerun": can_rerun,
            "result_template": f"jobs/result/{job.kind}.html",
            **engine.result_context(job),
        },
    )


@login_required
def status_json(request, pk):
    response = JsonResponse(status(visible_job(request, pk)))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def again(request, pk):
    job = visible_job(request, pk)
    if not engine.may_submit(request.user, job.kind, job.agency):
        raise PermissionDenied(f"您不能{engine.label(job.kind)}，因此不能重新运行这个任务。")
    try:
        engine.again(request.user, job)
    except engine.JobRefused as exc:
        messages.error(request, str(exc))
    return redirect("office:job", job.pk)
