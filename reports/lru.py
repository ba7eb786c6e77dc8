"""A bounded per-process store, least recently used out first, for values that are a pure
function of their key: what is not found is computed again, never shown wrong, so app servers
need not share it."""

import threading
from collections import OrderedDict


class LRU:
    def __init__(self, size):
        self.size = size
        self._items = OrderedDict()
        self._lock = threading.Lock()  # the development server and gthread workers serve in threads

    def __len__(self):
        return len(self._items)

    def get(self, key):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value):
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self):
        with self._lock:
            self._items.clear()
