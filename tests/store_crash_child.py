"""Crash-test child: captures, status changes and deletions on a Store until it is killed.

Usage: python store_crash_child.py DATA_DIR SEED. Prints "ready" once the store is open, then
for each operation an intent line before the call ("u"/"d") and an acknowledgement after it
returns ("I"/"U"/"D"); test_store.py's crash test kills it with SIGKILL and checks the store
against the acknowledgements.
"""
import hashlib
import random
import sys

from companion.store import Store

STATUSES = ("applied", "screening", "interviewing", "offer", "rejected", "ghosted", "withdrawn")
# One text to cut pages from: building each page word by word would take longer than storing it.
_WORDS = random.Random(0).choices(["engineer", "python", "remote", "salary", "team", "<div>", "</div>",
                                   "<p class='job'>", "</p>", "benefits", "apply", "experience"], k=60_000)
CORPUS = " ".join(_WORDS).encode()


def main(data_dir, seed):
    rng = random.Random(seed)
    # A small compaction threshold, so that kills also land in the middle of compactions; every
    # other run writes its snapshots in the background, as the companion does.
    store = Store(data_dir, compact_after=5, background=seed % 2 == 1)
    print("ready", flush=True)
    ids = [doc["id"] for doc in store.all("applications")]
    n = 0
    while True:
        roll = rng.random()
        if not ids or roll < 0.3:
            key = f"s{seed}-{n}"
            n += 1
            start = rng.randrange(len(CORPUS) // 2)
            page = key.encode() + CORPUS[start:start + rng.randint(20_000, 200_000)]
            store.put_blob("page", key, page)  # the blob first: a doc never points at nothing
            doc = store.insert("applications", {
                "url": f"https://jobs.example/{key}", "capture_ids": [key], "status": "applied",
                "notes": CORPUS[start:start + 1500].decode(),
                "history": [{"status": "applied", "at": "2024-05-01"}]})
            ids.append(doc["id"])
            print(f"I {doc['id']} {key} {hashlib.sha256(page).hexdigest()}", flush=True)
        elif roll < 0.3 + (0.3 if len(ids) > 60 else 0.05):
            doc_id = ids.pop(rng.randrange(len(ids)))
            print(f"d {doc_id}", flush=True)
            key = store.get("applications", doc_id)["capture_ids"][0]
            store.delete("applications", doc_id)
            store.delete_blobs(key, ("page",))
            print(f"D {doc_id}", flush=True)
        else:
            doc_id, status = rng.choice(ids), rng.choice(STATUSES)
            print(f"u {doc_id} {status}", flush=True)
            with store.lock:  # read, change, write as one step
                doc = store.get("applications", doc_id)
                store.update("applications", doc_id, {
                    "status": status, "history": doc["history"] + [{"status": status, "at": "2024-05-02"}]})
            print(f"U {doc_id} {status}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
