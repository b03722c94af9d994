"""The time limits the platform applies, each once, with its article (docs/law/periods.md).

A period of N working days from a day D ends on the N-th working day after D: D itself is not
counted (民法典第二百零一条; ``gongkai.clock.deadlines`` does the counting). A period in days
(日) counts calendar days the same way.
"""

from __future__ import annotations

# --- applications (《中华人民共和国政府信息公开条例》) --------------------------------------

# 第三十条: an incomplete application is sent back for correction (补正) within 7 working days
# of receipt.
CORRECTION_NOTICE_DAYS = 7
# 第三十三条第二款: the reply is due within 20 working days of receipt (of the corrected
# application after a 补正, 第三十条); a consultation is not counted (第三十三条第三款).
REPLY_DAYS = 20
# 第三十三条第二款: an extension, approved by the head of the office, "最长不得超过20个工作日".
EXTENSION_DAYS = 20
# 第三十二条 (a third party), 第三十四条 (another agency): 15 working days to answer a
# consultation, from the day the letter was received (the pause starts when it is sent;
# docs/law/consultation.md).
CONSULTATION_DAYS = 15
# 第三十五条: reasons judged reasonable but no reply possible within 第三十三条第二款's period:
# the office sets a "合理期限" for a delayed reply. The 条例 gives no number; the platform
# accepts a date at most this many working days after the reply due date it replaces, three
# times the ordinary period, so that a delay cannot turn into an open-ended refusal
# (docs/law/excessive.md says why this bound).
DELAY_MAX_DAYS = 60
# 《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）第七条: the applicant pays within 20
# working days counted from the day after the fee notice is received (收到收费通知次日起); unpaid
# by then, the application counts as withdrawn. The platform does not count the wait in the
# reply period (a fee pause, docs/law/periods.md).
FEE_PAYMENT_DAYS = 20

# --- proactive publication -------------------------------------------------------------

# 条例第二十六条: information to be published proactively is published within 20 working days
# of being formed or changed, unless a law or regulation sets another period.
PROACTIVE_PUBLICATION_DAYS = 20

# --- remedies (the clause of a reply letter) --------------------------------------------

# 《中华人民共和国行政复议法》（2023）第二十条第一款: 60 days from knowing of the decision.
RECONSIDERATION_DAYS = 60
# 《中华人民共和国行政诉讼法》第四十六条第一款: 6 months from knowing of the decision.
LITIGATION_MONTHS = 6
# 《中华人民共和国行政诉讼法》第四十五条: 15 days from receiving the reconsideration decision.
LITIGATION_AFTER_RECONSIDERATION_DAYS = 15


# --- periods other laws set (条例第二十六条: "法律、法规对政府信息公开的期限另有规定的，从其规定")

# 《中华人民共和国预算法》第十四条第一款、第二款: budgets, final accounts and their reports
# within 20 days (日, calendar days) of approval by the people's congress (or its standing
# committee), and a department's within 20 days of the finance department's 批复.
# docs/law/categories.md.
BUDGET_PUBLICATION_DAYS = 20
