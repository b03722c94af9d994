"""The statutory clock: the State Council working-day calendar and the deadlines of the 条例.

Plain Python, no Django: the web pages, the API and ``gongkai deadline`` all call it.
"""
