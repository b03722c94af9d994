"""Letters of a case (回执、补正告知书、延期答复告知书、征求意见书、收费通知书、答复书) from
templates an agency administrator can edit, as DOCX and PDF."""
