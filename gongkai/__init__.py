"""gongkai — 政府信息公开 for Chinese administrative agencies."""

__version__ = "0.3.0.dev0"
