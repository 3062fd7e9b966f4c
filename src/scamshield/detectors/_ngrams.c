/* The learned model's character n-gram sums in C (scamshield.detectors._ngrams).
 *
 * build(chars) copies a channel's {n-gram: complex} table (n-grams of 2..5 characters) into an open-addressing
 * hash table keyed by the n-gram's code points; chunk_sum(table, chunk) then returns exactly what
 * model.chunk_sum_py returns: sum(map(chars.get, char_grams(chunk), repeat(0j)), 0j), the grams taken in the
 * same order (k = 2..5, then left to right over " " + chunk + " ") and added one at a time as CPython's
 * sum() adds complex numbers (plain double additions; a missing gram adds 0.0), so the result is
 * bit-identical. model.py uses it only when this Python's sum() adds that way (it checks at import).
 * Any code point goes (NUL, lone surrogates, emoji): keys compare all their code points and their length.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

typedef struct {
    uint64_t lo, hi; /* lo: code points 0..2 (21 bits each); hi: code points 3..4 and the length (0: empty) */
    double re, im;
} Entry;

typedef struct {
    Entry *slots;
    size_t mask;
} Table;

static inline uint64_t mix(uint64_t lo, uint64_t hi) {
    uint64_t x = lo ^ (hi * 0x9E3779B97F4A7C15ULL);
    x ^= x >> 30; x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27; x *= 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/* key of the k code points cp[0..k-1] (2 <= k <= 5) */
static inline void make_key(const Py_UCS4 *cp, int k, uint64_t *lo, uint64_t *hi) {
    uint64_t l = 0, h = (uint64_t)k << 42;
    for (int j = 0; j < k; j++) {
        if (j < 3) l |= (uint64_t)cp[j] << (21 * j);
        else h |= (uint64_t)cp[j] << (21 * (j - 3));
    }
    *lo = l; *hi = h;
}

static const Entry *find(const Table *t, uint64_t lo, uint64_t hi) {
    size_t i = (size_t)mix(lo, hi) & t->mask;
    for (;;) {
        const Entry *e = &t->slots[i];
        if (e->hi == 0) return NULL;
        if (e->lo == lo && e->hi == hi) return e;
        i = (i + 1) & t->mask;
    }
}

static void table_free(PyObject *capsule) {
    Table *t = (Table *)PyCapsule_GetPointer(capsule, "scamshield._ngrams.Table");
    if (t) { free(t->slots); free(t); }
}

static PyObject *build(PyObject *self, PyObject *chars) {
    if (!PyDict_Check(chars)) { PyErr_SetString(PyExc_TypeError, "build() needs a dict"); return NULL; }
    size_t cap = 16;
    size_t want = (size_t)PyDict_GET_SIZE(chars);
    while (cap < want + want / 2 + 16) cap <<= 1; /* at most 2/3 full */
    Table *t = malloc(sizeof(Table));
    Entry *slots = t ? calloc(cap, sizeof(Entry)) : NULL;
    if (!slots) { free(t); return PyErr_NoMemory(); }
    t->slots = slots; t->mask = cap - 1;
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(chars, &pos, &key, &value)) {
        if (!PyUnicode_Check(key) || !PyComplex_Check(value)) continue; /* never looked up as a gram */
        Py_ssize_t k = PyUnicode_GET_LENGTH(key);
        if (k < 2 || k > 5) continue;                                  /* grams are 2..5 characters */
        Py_UCS4 cp[5];
        for (Py_ssize_t j = 0; j < k; j++) cp[j] = PyUnicode_READ_CHAR(key, j);
        uint64_t lo, hi;
        make_key(cp, (int)k, &lo, &hi);
        size_t i = (size_t)mix(lo, hi) & t->mask;
        while (slots[i].hi != 0 && !(slots[i].lo == lo && slots[i].hi == hi)) i = (i + 1) & t->mask;
        slots[i].lo = lo; slots[i].hi = hi;
        slots[i].re = PyComplex_RealAsDouble(value); slots[i].im = PyComplex_ImagAsDouble(value);
    }
    PyObject *capsule = PyCapsule_New(t, "scamshield._ngrams.Table", table_free);
    if (!capsule) { free(slots); free(t); }
    return capsule;
}

static PyObject *chunk_sum(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2 || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "chunk_sum(table, chunk: str)");
        return NULL;
    }
    const Table *t = PyCapsule_GetPointer(args[0], "scamshield._ngrams.Table");
    if (!t) return NULL;
    PyObject *chunk = args[1];
    if (PyUnicode_READY(chunk) < 0) return NULL;
    int kind = PyUnicode_KIND(chunk);
    const void *data = PyUnicode_DATA(chunk);
    Py_ssize_t n = PyUnicode_GET_LENGTH(chunk) + 2; /* " " + chunk + " " */
    double re = 0.0, im = 0.0;
    Py_UCS4 win[5];
    for (int k = 2; k <= 5; k++) {
        for (Py_ssize_t i = 0; i + k <= n; i++) {
            for (int j = 0; j < k; j++) {
                Py_ssize_t p = i + j;
                win[j] = (p == 0 || p == n - 1) ? ' ' : PyUnicode_READ(kind, data, p - 1);
            }
            uint64_t lo, hi;
            make_key(win, k, &lo, &hi);
            const Entry *e = find(t, lo, hi);
            if (e) { re += e->re; im += e->im; }
            else { re += 0.0; im += 0.0; } /* as sum() adds the 0j default */
        }
    }
    return PyComplex_FromDoubles(re, im);
}

/* ---- A text's whole sum, and its evidence chunks, over a chunk cache and a word-pair table kept in C ----
 *
 * text_state(words, entry, limit, maxlen[, trim, brackets]) -> state. ``words`` is a channel's {word or "a b" pair: complex}
 * table; ``entry(chunk)`` is model.ChannelModel.chunk_entry_uncached: a whitespace chunk's (sum of its char
 * n-grams and word unigrams, its word tokens, whether it holds a word worth showing). The state keeps:
 *
 *  - the word-pair weights in a hash table keyed by the two tokens' ids (every token that is half of a pair
 *    in ``words`` gets an id; a pair with a token that has none is in no table and adds 0.0);
 *  - a cache of chunk entries (sum, token ids, meaningful) keyed by the chunk's code points, for chunks of
 *    at most ``maxlen`` code points, emptied when it holds more than ``limit`` (as the Python cache is).
 *
 * So a cached chunk costs no Python object at all: no chunk string, no hash of one, no pair string. Chunks
 * are found as str.split() finds them (Py_UNICODE_ISSPACE), which is also how the ``\S+`` of
 * model._CHUNK finds them. Tokens never hold whitespace (model._TOKEN), so "a b" is the pair (a, b).
 *
 * text_total(state, norm) -> (complex, int): exactly model.ChannelModel.unit_total_py(norm), the same double
 * additions in the same order (chunk sums from 0j in order; then the pairs' weights summed from 0j, a missing
 * pair adding 0.0, as sum() adds the 0j default; then the two added).
 * text_chunks(state, norm) -> list of (complex, start, end): exactly model.ChannelModel.chunk_scores_py's list
 * (each meaningful chunk's sum plus the sum, from 0j, of the pairs its tokens start: the pair across into the
 * next chunk with tokens included).
 * text_evidence(state, norm, limit) -> both heads' evidence ranges (see the function).
 * text_clear(state) empties the chunk cache; text_size(state) is how many chunks it holds.
 *
 * ``entry`` is Python and may let another thread in, which may fill, grow or empty the cache: nothing read from
 * the cache is held across the call (token ids are copied out at once), and a miss is inserted afresh after it. */

typedef struct {
    uint64_t key; /* (id a + 1) << 32 | (id b + 1); 0: empty */
    double re, im;
} PairEntry;

typedef struct {
    uint64_t h;   /* hash of the chunk's code points, never 0; 0: empty */
    double re, im;
    uint32_t off; /* arena: len code points, then ntok token ids */
    uint8_t len, ntok, meaningful, _pad;
} ChunkEntry;

typedef struct {
    PairEntry *pairs;
    size_t pmask;
    PyObject *tokid; /* dict: token -> id */
    PyObject *entry;
    ChunkEntry *slots;
    size_t cmask, count, limit;
    Py_ssize_t maxlen;
    uint32_t *arena;
    size_t alen, acap;
    /* evidence trimming (preprocess.TextUnit.evidence): characters trimmed off either end, and bracket pairs */
    Py_UCS4 trim[64], open[16], close[16];
    int ntrim, nbr;
} TextState;

#define TS_NAME "scamshield._ngrams.TextState"

/* Zeroed memory for a table of ``size`` bytes. Tables of a megabyte or more are placed on 2 MB boundaries and
 * offered transparent huge pages where the system has them (Linux, madvise mode): a text's lookups land on
 * random pages, and with 4 kB pages nearly each costs a TLB miss once other work has run. Free with free(). */
static void *table_alloc(size_t size) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (size >= ((size_t)1 << 20)) {
        void *p = NULL;
        size_t huge = (size_t)2 << 20;
        if (posix_memalign(&p, huge, (size + huge - 1) / huge * huge) == 0) {
            madvise(p, (size + huge - 1) / huge * huge, MADV_HUGEPAGE);
            memset(p, 0, size);
            return p;
        }
    }
#endif
    return calloc(1, size);
}

static inline uint64_t mix64(uint64_t x) {
    x ^= x >> 30; x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27; x *= 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

static void text_state_free(PyObject *capsule) {
    TextState *s = (TextState *)PyCapsule_GetPointer(capsule, TS_NAME);
    if (!s) { PyErr_Clear(); return; }
    free(s->pairs); free(s->slots); free(s->arena);
    Py_XDECREF(s->tokid); Py_XDECREF(s->entry);
    free(s);
}

static int pair_find(const TextState *s, int32_t a, int32_t b, double *re, double *im) {
    if (a < 0 || b < 0) return 0;
    uint64_t key = ((uint64_t)(uint32_t)(a + 1) << 32) | (uint64_t)(uint32_t)(b + 1);
    size_t i = (size_t)mix64(key) & s->pmask;
    for (;;) {
        const PairEntry *e = &s->pairs[i];
        if (e->key == 0) return 0;
        if (e->key == key) { *re = e->re; *im = e->im; return 1; }
        i = (i + 1) & s->pmask;
    }
}

/* id of token ``tok`` (a str), or -1 when it is half of no pair; -2 with an exception set */
static int32_t token_id(TextState *s, PyObject *tok, int add) {
    PyObject *v = PyDict_GetItemWithError(s->tokid, tok);
    if (v) return (int32_t)PyLong_AsLong(v);
    if (PyErr_Occurred()) return -2;
    if (!add) return -1;
    Py_ssize_t n = PyDict_GET_SIZE(s->tokid);
    if (n >= INT32_MAX - 1) { PyErr_SetString(PyExc_OverflowError, "too many tokens"); return -2; }
    PyObject *id = PyLong_FromSsize_t(n);
    if (!id) return -2;
    int bad = PyDict_SetItem(s->tokid, tok, id);
    Py_DECREF(id);
    return bad < 0 ? -2 : (int32_t)n;
}

static PyObject *text_state(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if ((nargs != 4 && nargs != 6) || !PyDict_Check(args[0]) || !PyCallable_Check(args[1])
        || (nargs == 6 && (!PyUnicode_Check(args[4]) || !PyUnicode_Check(args[5])))) {
        PyErr_SetString(PyExc_TypeError,
                        "text_state(words: dict, entry, limit: int, maxlen: int[, trim: str, brackets: str])");
        return NULL;
    }
    Py_ssize_t ntrim = nargs == 6 ? PyUnicode_GET_LENGTH(args[4]) : 0, nbr = nargs == 6 ? PyUnicode_GET_LENGTH(args[5]) : 0;
    if (ntrim > 64 || nbr > 32 || nbr % 2) {
        PyErr_SetString(PyExc_ValueError, "text_state: at most 64 trim characters and 16 bracket pairs");
        return NULL;
    }
    Py_ssize_t limit = PyLong_AsSsize_t(args[2]), maxlen = PyLong_AsSsize_t(args[3]);
    if ((limit == -1 || maxlen == -1) && PyErr_Occurred()) return NULL;
    if (limit < 0 || maxlen < 0 || maxlen > 255) {
        PyErr_SetString(PyExc_ValueError, "text_state: limit >= 0 and 0 <= maxlen <= 255");
        return NULL;
    }
    TextState *s = calloc(1, sizeof(TextState));
    if (!s) return PyErr_NoMemory();
    s->limit = (size_t)limit; s->maxlen = maxlen;
    s->ntrim = (int)ntrim; s->nbr = (int)(nbr / 2);
    for (Py_ssize_t j = 0; j < ntrim; j++) s->trim[j] = PyUnicode_READ_CHAR(args[4], j);
    for (Py_ssize_t j = 0; j < nbr / 2; j++) {
        s->open[j] = PyUnicode_READ_CHAR(args[5], 2 * j);
        s->close[j] = PyUnicode_READ_CHAR(args[5], 2 * j + 1);
    }
    s->entry = Py_NewRef(args[1]);
    PyObject *capsule = NULL, *space = NULL;
    if (!(s->tokid = PyDict_New())) goto fail;
    if (!(capsule = PyCapsule_New(s, TS_NAME, text_state_free))) goto fail;
    /* from here the capsule owns s */
    s->cmask = 1023;
    if (!(s->slots = calloc(s->cmask + 1, sizeof(ChunkEntry)))) { PyErr_NoMemory(); goto fail_capsule; }
    size_t want = (size_t)PyDict_GET_SIZE(args[0]), cap = 16;
    while (cap < 2 * want + 16) cap <<= 1; /* at most half full */
    if (!(s->pairs = table_alloc(cap * sizeof(PairEntry)))) { PyErr_NoMemory(); goto fail_capsule; }
    s->pmask = cap - 1;
    if (!(space = PyUnicode_FromString(" "))) goto fail_capsule;
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(args[0], &pos, &key, &value)) {
        if (!PyUnicode_Check(key) || !PyComplex_Check(value)) continue; /* never looked up as a pair */
        PyObject *parts = PyUnicode_Split(key, space, -1);
        if (!parts) goto fail_capsule;
        if (PyList_GET_SIZE(parts) != 2 || PyUnicode_GET_LENGTH(PyList_GET_ITEM(parts, 0)) == 0
            || PyUnicode_GET_LENGTH(PyList_GET_ITEM(parts, 1)) == 0) { Py_DECREF(parts); continue; }
        int32_t a = token_id(s, PyList_GET_ITEM(parts, 0), 1), b = a < 0 ? a : token_id(s, PyList_GET_ITEM(parts, 1), 1);
        Py_DECREF(parts);
        if (a < 0 || b < 0) goto fail_capsule;
        uint64_t k = ((uint64_t)(uint32_t)(a + 1) << 32) | (uint64_t)(uint32_t)(b + 1);
        size_t i = (size_t)mix64(k) & s->pmask;
        while (s->pairs[i].key != 0 && s->pairs[i].key != k) i = (i + 1) & s->pmask;
        s->pairs[i].key = k;
        s->pairs[i].re = PyComplex_RealAsDouble(value); s->pairs[i].im = PyComplex_ImagAsDouble(value);
    }
    Py_DECREF(space);
    return capsule;
fail:
    Py_XDECREF(s->tokid); Py_XDECREF(s->entry); free(s);
    return NULL;
fail_capsule:
    Py_XDECREF(space);
    Py_DECREF(capsule);
    return NULL;
}

static inline uint64_t chunk_hash(int kind, const void *data, Py_ssize_t start, Py_ssize_t end) {
    uint64_t h = 0x84222325CBF29CE4ULL ^ (uint64_t)(end - start);
    for (Py_ssize_t p = start; p < end; p++) h = (h ^ PyUnicode_READ(kind, data, p)) * 0x100000001B3ULL;
    h = mix64(h);
    return h ? h : 1;
}

static ChunkEntry *chunk_find(TextState *s, uint64_t h, int kind, const void *data, Py_ssize_t start, Py_ssize_t end) {
    Py_ssize_t len = end - start;
    size_t i = (size_t)h & s->cmask;
    for (;;) {
        ChunkEntry *e = &s->slots[i];
        if (e->h == 0) return NULL;
        if (e->h == h && e->len == len) {
            const uint32_t *cp = s->arena + e->off;
            Py_ssize_t j = 0;
            while (j < len && cp[j] == PyUnicode_READ(kind, data, start + j)) j++;
            if (j == len) return e;
        }
        i = (i + 1) & s->cmask;
    }
}

static void chunk_clear(TextState *s) {
    memset(s->slots, 0, (s->cmask + 1) * sizeof(ChunkEntry));
    s->count = 0; s->alen = 0;
}

/* remember a chunk's entry; on a failed allocation the chunk is simply not remembered */
static void chunk_insert(TextState *s, uint64_t h, int kind, const void *data, Py_ssize_t start, Py_ssize_t end,
                         double re, double im, const int32_t *ids, Py_ssize_t ntok, int meaningful) {
    Py_ssize_t len = end - start;
    if (len > s->maxlen || ntok > 255) return;
    if (chunk_find(s, h, kind, data, start, end)) return; /* another thread put it there meanwhile */
    if (s->count >= s->limit) chunk_clear(s);
    if (s->limit == 0) return;
    if (2 * (s->count + 1) > s->cmask + 1) { /* grow: at most half full */
        size_t ncap = 2 * (s->cmask + 1);
        ChunkEntry *ns = table_alloc(ncap * sizeof(ChunkEntry));
        if (!ns) return;
        for (size_t i = 0; i <= s->cmask; i++) {
            if (s->slots[i].h == 0) continue;
            size_t j = (size_t)s->slots[i].h & (ncap - 1);
            while (ns[j].h != 0) j = (j + 1) & (ncap - 1);
            ns[j] = s->slots[i];
        }
        free(s->slots);
        s->slots = ns; s->cmask = ncap - 1;
    }
    size_t need = s->alen + (size_t)len + (size_t)ntok;
    if (need > UINT32_MAX) { chunk_clear(s); need = (size_t)len + (size_t)ntok; }
    if (need > s->acap) {
        size_t ncap = s->acap ? s->acap : 4096;
        while (ncap < need) ncap *= 2;
        uint32_t *na = table_alloc(ncap * sizeof(uint32_t));
        if (!na) return;
        if (s->alen) memcpy(na, s->arena, s->alen * sizeof(uint32_t));
        free(s->arena);
        s->arena = na; s->acap = ncap;
    }
    uint32_t off = (uint32_t)s->alen;
    for (Py_ssize_t j = 0; j < len; j++) s->arena[off + j] = PyUnicode_READ(kind, data, start + j);
    for (Py_ssize_t j = 0; j < ntok; j++) s->arena[off + len + j] = (uint32_t)ids[j];
    s->alen = need;
    size_t i = (size_t)h & s->cmask;
    while (s->slots[i].h != 0) i = (i + 1) & s->cmask;
    ChunkEntry *e = &s->slots[i];
    e->h = h; e->re = re; e->im = im; e->off = off;
    e->len = (uint8_t)len; e->ntok = (uint8_t)ntok; e->meaningful = (uint8_t)(meaningful != 0);
    s->count++;
}

typedef struct {
    int32_t *ids;
    Py_ssize_t n, cap;
} IdBuf;

static int ids_reserve(IdBuf *b, Py_ssize_t more) {
    if (b->n + more <= b->cap) return 0;
    Py_ssize_t ncap = b->cap ? b->cap : 64;
    while (ncap < b->n + more) ncap *= 2;
    int32_t *na = realloc(b->ids, (size_t)ncap * sizeof(int32_t));
    if (!na) { PyErr_NoMemory(); return -1; }
    b->ids = na; b->cap = ncap;
    return 0;
}

/* The chunk norm[start:end]: its sum into re and im, its token ids appended to b, whether it is meaningful.
 * -1 with an exception set on error. */
static int chunk_get(TextState *s, PyObject *norm, int kind, const void *data, Py_ssize_t start, Py_ssize_t end,
                     uint64_t h, double *re, double *im, IdBuf *b, int *meaningful) {
    int cacheable = end - start <= s->maxlen;
    if (cacheable) {
        const ChunkEntry *e = chunk_find(s, h, kind, data, start, end);
        if (e) {
            if (ids_reserve(b, e->ntok) < 0) return -1;
            const uint32_t *t = s->arena + e->off + e->len;
            for (int j = 0; j < e->ntok; j++) b->ids[b->n++] = (int32_t)t[j];
            *re = e->re; *im = e->im; *meaningful = e->meaningful;
            return 0;
        }
    }
    PyObject *chunk = PyUnicode_Substring(norm, start, end);
    if (!chunk) return -1;
    PyObject *r = PyObject_CallOneArg(s->entry, chunk);
    Py_DECREF(chunk);
    if (!r) return -1;
    if (!PyTuple_Check(r) || PyTuple_GET_SIZE(r) < 3 || !PyComplex_Check(PyTuple_GET_ITEM(r, 0))
        || !PyList_Check(PyTuple_GET_ITEM(r, 1))) {
        Py_DECREF(r);
        PyErr_SetString(PyExc_TypeError, "a chunk entry is (complex, list, bool)");
        return -1;
    }
    Py_complex z = PyComplex_AsCComplex(PyTuple_GET_ITEM(r, 0));
    int m = PyObject_IsTrue(PyTuple_GET_ITEM(r, 2));
    PyObject *toks = PyTuple_GET_ITEM(r, 1);
    Py_ssize_t ntok = PyList_GET_SIZE(toks), first = b->n;
    if (m < 0 || ids_reserve(b, ntok) < 0) { Py_DECREF(r); return -1; }
    for (Py_ssize_t j = 0; j < ntok; j++) {
        int32_t id = token_id(s, PyList_GET_ITEM(toks, j), 0);
        if (id == -2) { Py_DECREF(r); return -1; }
        b->ids[b->n++] = id;
    }
    Py_DECREF(r);
    *re = z.real; *im = z.imag; *meaningful = m;
    if (cacheable) chunk_insert(s, h, kind, data, start, end, z.real, z.imag, b->ids + first, ntok, m);
    return 0;
}

static TextState *text_args(PyObject *const *args, Py_ssize_t nargs, const char *usage) {
    if (nargs != 2 || !PyUnicode_Check(args[1])) { PyErr_SetString(PyExc_TypeError, usage); return NULL; }
    if (PyUnicode_READY(args[1]) < 0) return NULL;
    return (TextState *)PyCapsule_GetPointer(args[0], TS_NAME);
}

static inline Py_ssize_t next_chunk(int kind, const void *data, Py_ssize_t n, Py_ssize_t *i) {
    Py_ssize_t p = *i;
    while (p < n && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, p))) p++;
    Py_ssize_t start = p;
    while (p < n && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, p))) p++;
    *i = p;
    return start;
}

typedef struct { Py_ssize_t start, end, tok; uint64_t h; int m; double re, im; } Chunk;

static inline uint64_t pair_key(int32_t a, int32_t b) {
    return ((uint64_t)(uint32_t)(a + 1) << 32) | (uint64_t)(uint32_t)(b + 1);
}

/* Ask for the pair slots of ids[0..n-1] before they are read: the lookups then overlap their cache misses
 * (the tables are megabytes, and the rest of a verdict's work pushes them out of the caches between texts). */
static void pairs_prefetch(const TextState *s, const int32_t *ids, Py_ssize_t n) {
    for (Py_ssize_t j = 0; j + 1 < n; j++)
        if (ids[j] >= 0 && ids[j + 1] >= 0)
            __builtin_prefetch(&s->pairs[(size_t)mix64(pair_key(ids[j], ids[j + 1])) & s->pmask]);
}

/* Every whitespace chunk of norm in order, with its sum, token range (its ids appended to b) and whether it is
 * meaningful. The cache slots, then the cache records, are asked for before any is read (see pairs_prefetch);
 * then each chunk is looked up (or worked out) in order, as chunk_get does. *out is malloc'd (free it);
 * returns the count, or -1 with an exception set. */
static Py_ssize_t scan_chunks(TextState *s, PyObject *norm, Chunk **out, IdBuf *b) {
    int kind = PyUnicode_KIND(norm);
    const void *data = PyUnicode_DATA(norm);
    Py_ssize_t n = PyUnicode_GET_LENGTH(norm), i = 0, nch = 0, chcap = 0;
    Chunk *ch = NULL;
    for (;;) {
        Py_ssize_t start = next_chunk(kind, data, n, &i);
        if (start >= n) break;
        if (nch == chcap) {
            Py_ssize_t ncap = chcap ? 2 * chcap : 64;
            Chunk *nc = realloc(ch, (size_t)ncap * sizeof(Chunk));
            if (!nc) { free(ch); PyErr_NoMemory(); return -1; }
            ch = nc; chcap = ncap;
        }
        Chunk *c = &ch[nch++];
        c->start = start; c->end = i; c->h = 0;
        if (i - start <= s->maxlen) {
            c->h = chunk_hash(kind, data, start, i);
            __builtin_prefetch(&s->slots[(size_t)c->h & s->cmask]);
        }
    }
    for (Py_ssize_t k = 0; k < nch; k++) { /* the record of the first slot with the chunk's hash */
        if (!ch[k].h) continue;
        size_t j = (size_t)ch[k].h & s->cmask;
        while (s->slots[j].h != 0 && s->slots[j].h != ch[k].h) j = (j + 1) & s->cmask;
        if (s->slots[j].h != 0) __builtin_prefetch(s->arena + s->slots[j].off);
    }
    for (Py_ssize_t k = 0; k < nch; k++) {
        Chunk *c = &ch[k];
        c->tok = b->n;
        if (chunk_get(s, norm, kind, data, c->start, c->end, c->h, &c->re, &c->im, b, &c->m) < 0) {
            free(ch);
            return -1;
        }
    }
    *out = ch;
    return nch;
}

static PyObject *text_total(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    TextState *s = text_args(args, nargs, "text_total(state, norm: str)");
    if (!s) return NULL;
    PyObject *norm = args[1], *result = NULL;
    Py_INCREF(norm); /* the entry callback must not see it go */
    IdBuf b = {NULL, 0, 0};
    Chunk *ch = NULL;
    Py_ssize_t nch = scan_chunks(s, norm, &ch, &b);
    if (nch < 0) goto done;
    pairs_prefetch(s, b.ids, b.n);
    double re = 0.0, im = 0.0;
    for (Py_ssize_t k = 0; k < nch; k++) { re += ch[k].re; im += ch[k].im; }
    double pre = 0.0, pim = 0.0;
    for (Py_ssize_t j = 0; j + 1 < b.n; j++) {
        double wr, wi;
        if (pair_find(s, b.ids[j], b.ids[j + 1], &wr, &wi)) { pre += wr; pim += wi; }
        else { pre += 0.0; pim += 0.0; } /* as sum() adds the 0j default */
    }
    PyObject *total = PyComplex_FromDoubles(re + pre, im + pim);
    if (total) result = Py_BuildValue("(Nn)", total, b.n);
done:
    free(ch); free(b.ids);
    Py_DECREF(norm);
    return result;
}

/* Every whitespace chunk of norm, with its token range and its meaningful chunks' weights (own sum plus the
 * pairs its tokens start). *out is malloc'd (free it); returns the count, or -1 with an exception set. */
static Py_ssize_t walk_chunks(TextState *s, PyObject *norm, Chunk **out) {
    IdBuf b = {NULL, 0, 0};
    Chunk *ch = NULL;
    Py_ssize_t nch = scan_chunks(s, norm, &ch, &b);
    if (nch < 0) { free(b.ids); return -1; }
    pairs_prefetch(s, b.ids, b.n);
    for (Py_ssize_t k = 0; k < nch; k++) {
        Chunk *c = &ch[k];
        if (!c->m) continue;
        Py_ssize_t last = k + 1 < nch ? ch[k + 1].tok : b.n; /* the chunk's tokens: [c->tok, last) */
        Py_ssize_t stop = last < b.n ? last : b.n - 1;        /* the pairs they start: [c->tok, stop) */
        double pre = 0.0, pim = 0.0;
        for (Py_ssize_t j = c->tok; j < stop; j++) {
            double wr, wi;
            if (pair_find(s, b.ids[j], b.ids[j + 1], &wr, &wi)) { pre += wr; pim += wi; }
            else { pre += 0.0; pim += 0.0; } /* as sum() adds the 0j default */
        }
        c->re += pre; c->im += pim; /* z + sum(pairs, 0j) */
    }
    free(b.ids);
    *out = ch;
    return nch;
}

static PyObject *text_chunks(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    TextState *s = text_args(args, nargs, "text_chunks(state, norm: str)");
    if (!s) return NULL;
    PyObject *norm = args[1], *out = NULL;
    Py_INCREF(norm); /* the entry callback must not see it go */
    Chunk *ch = NULL;
    Py_ssize_t nch = walk_chunks(s, norm, &ch);
    if (nch < 0 || !(out = PyList_New(0))) goto done;
    for (Py_ssize_t k = 0; k < nch; k++) {
        if (!ch[k].m) continue;
        PyObject *t = Py_BuildValue("(Nnn)", PyComplex_FromDoubles(ch[k].re, ch[k].im), ch[k].start, ch[k].end);
        if (!t || PyList_Append(out, t) < 0) { Py_XDECREF(t); Py_CLEAR(out); goto done; }
        Py_DECREF(t);
    }
done:
    free(ch);
    Py_DECREF(norm);
    return out;
}

static inline int ucs_in(const Py_UCS4 *set, int n, Py_UCS4 c) {
    for (int j = 0; j < n; j++) if (set[j] == c) return j;
    return -1;
}

static int holds(int kind, const void *data, Py_ssize_t start, Py_ssize_t end, Py_UCS4 c) {
    for (Py_ssize_t p = start; p < end; p++) if (PyUnicode_READ(kind, data, p) == c) return 1;
    return 0;
}

/* preprocess.TextUnit.evidence's trimming of norm[*start:*end], with the state's characters and brackets:
 * trimmed characters, and a bracket whose partner is not inside, come off either end. Returns whether a
 * letter or digit is left (str.isalnum). */
static int trim_range(const TextState *s, int kind, const void *data, Py_ssize_t *start, Py_ssize_t *end) {
    Py_ssize_t a = *start, b = *end;
    while (a < b) {
        Py_UCS4 c = PyUnicode_READ(kind, data, a);
        int k;
        if (ucs_in(s->trim, s->ntrim, c) >= 0 || ((k = ucs_in(s->open, s->nbr, c)) >= 0 && !holds(kind, data, a, b, s->close[k])))
            a++;
        else
            break;
    }
    while (b > a) {
        Py_UCS4 c = PyUnicode_READ(kind, data, b - 1);
        int k;
        if (ucs_in(s->trim, s->ntrim, c) >= 0 || ((k = ucs_in(s->close, s->nbr, c)) >= 0 && !holds(kind, data, a, b - 1, s->open[k])))
            b--;
        else
            break;
    }
    *start = a; *end = b;
    for (Py_ssize_t p = a; p < b; p++) if (Py_UNICODE_ISALNUM(PyUnicode_READ(kind, data, p))) return 1;
    return 0;
}

/* is chunk a ranked above chunk b for part p: as Python's sorted(reverse=True) ranks (score, start, end) */
static inline int ranks_above(const Chunk *a, const Chunk *b, int p) {
    double x = p ? a->im : a->re, y = p ? b->im : b->re;
    return x > y || (x == y && a->start > b->start);
}

/* text_evidence(state, norm, limit[, trim]) -> (ranges of part 0, ranges of part 1): for each head's part, the
 * ``limit`` meaningful chunks that weigh most above 0 (model.ChannelModel.evidence_ranges_py's choice: by
 * weight, then by offset, highest first), in text order, chunks next to each other (only whitespace between)
 * merged, as [(start, end), ...] in norm. With ``trim``, each range is trimmed as preprocess.TextUnit.evidence
 * trims it (with the state's trim characters and brackets), and left out where no letter or digit is left. */
static PyObject *text_evidence(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if ((nargs != 3 && nargs != 4) || !PyUnicode_Check(args[1]) || !PyLong_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "text_evidence(state, norm: str, limit: int[, trim: bool])");
        return NULL;
    }
    int trim = nargs == 4 ? PyObject_IsTrue(args[3]) : 0;
    if (trim < 0) return NULL;
    if (PyUnicode_READY(args[1]) < 0) return NULL;
    TextState *s = (TextState *)PyCapsule_GetPointer(args[0], TS_NAME);
    if (!s) return NULL;
    Py_ssize_t limit = PyLong_AsSsize_t(args[2]);
    if (limit == -1 && PyErr_Occurred()) return NULL;
    if (limit < 0) limit = 0;
    PyObject *norm = args[1], *out = NULL, *parts[2] = {NULL, NULL};
    Py_INCREF(norm);
    Chunk *ch = NULL;
    Py_ssize_t *top = NULL;
    Py_ssize_t nch = walk_chunks(s, norm, &ch);
    if (nch < 0) goto done;
    Py_ssize_t room = limit < nch ? limit : nch;
    if (!(top = malloc((size_t)(room + 1) * sizeof(Py_ssize_t)))) { PyErr_NoMemory(); goto done; }
    for (int p = 0; p < 2; p++) {
        Py_ssize_t ntop = 0;
        for (Py_ssize_t k = 0; k < nch && room > 0; k++) { /* insertion into the ranked top ``room`` */
            const Chunk *c = &ch[k];
            if (!c->m || !((p ? c->im : c->re) > 0.0)) continue;
            if (ntop == room && !ranks_above(c, &ch[top[ntop - 1]], p)) continue;
            Py_ssize_t j = ntop < room ? ntop++ : ntop - 1;
            while (j > 0 && ranks_above(c, &ch[top[j - 1]], p)) { top[j] = top[j - 1]; j--; }
            top[j] = k;
        }
        for (Py_ssize_t a = 1; a < ntop; a++) { /* into text order */
            Py_ssize_t v = top[a], j = a;
            while (j > 0 && top[j - 1] > v) { top[j] = top[j - 1]; j--; }
            top[j] = v;
        }
        if (!(parts[p] = PyList_New(0))) goto done;
        for (Py_ssize_t a = 0; a < ntop;) {
            Py_ssize_t b = a;
            while (b + 1 < ntop && top[b + 1] == top[b] + 1) b++; /* neighbouring chunks: one range */
            Py_ssize_t rs = ch[top[a]].start, re = ch[top[b]].end;
            a = b + 1;
            if (trim && !trim_range(s, PyUnicode_KIND(norm), PyUnicode_DATA(norm), &rs, &re)) continue;
            PyObject *t = Py_BuildValue("(nn)", rs, re);
            if (!t || PyList_Append(parts[p], t) < 0) { Py_XDECREF(t); goto done; }
            Py_DECREF(t);
        }
    }
    out = PyTuple_Pack(2, parts[0], parts[1]);
done:
    Py_XDECREF(parts[0]); Py_XDECREF(parts[1]);
    free(top); free(ch);
    Py_DECREF(norm);
    return out;
}

static PyObject *text_clear(PyObject *self, PyObject *capsule) {
    TextState *s = (TextState *)PyCapsule_GetPointer(capsule, TS_NAME);
    if (!s) return NULL;
    chunk_clear(s);
    Py_RETURN_NONE;
}

static PyObject *text_size(PyObject *self, PyObject *capsule) {
    TextState *s = (TextState *)PyCapsule_GetPointer(capsule, TS_NAME);
    if (!s) return NULL;
    return PyLong_FromSize_t(s->count);
}

static PyMethodDef methods[] = {
    {"build", build, METH_O, "build(chars: dict[str, complex]) -> table"},
    {"chunk_sum", (PyCFunction)(void (*)(void))chunk_sum, METH_FASTCALL,
     "chunk_sum(table, chunk) -> complex: the chunk's char n-gram weights, summed as model.chunk_sum_py does"},
    {"text_state", (PyCFunction)(void (*)(void))text_state, METH_FASTCALL,
     "text_state(words, entry, limit, maxlen[, trim, brackets]) -> state: a word-pair table and chunk cache (see the source)"},
    {"text_total", (PyCFunction)(void (*)(void))text_total, METH_FASTCALL,
     "text_total(state, norm) -> (complex, int): model.ChannelModel.unit_total_py in C"},
    {"text_chunks", (PyCFunction)(void (*)(void))text_chunks, METH_FASTCALL,
     "text_chunks(state, norm) -> [(complex, start, end)]: model.ChannelModel.chunk_scores_py in C"},
    {"text_evidence", (PyCFunction)(void (*)(void))text_evidence, METH_FASTCALL,
     "text_evidence(state, norm, limit[, trim]) -> (ranges, ranges): each head's evidence ranges, in C"},
    {"text_clear", text_clear, METH_O, "text_clear(state): empty the chunk cache"},
    {"text_size", text_size, METH_O, "text_size(state) -> int: chunks in the cache"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_ngrams",
                                    "The learned model's char n-gram sums in C (see model.py).", -1, methods};

PyMODINIT_FUNC PyInit__ngrams(void) { return PyModule_Create(&module); }
