"""依申请公开: disclosure applications from receipt to archived reply
(条例第二十七条–第四十五条)."""
