"""Reports of stopped content (MB-12.2): one per stop-transmission decision, filed with the office of
the author's province of registration (learned from identity's announcements), acknowledged by it."""
