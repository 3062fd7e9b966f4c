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

/* unit_total(norm, cache, words, entry) -> (complex, int): exactly what model.ChannelModel.unit_total_py returns
 * for norm, with the same chunk cache. Each whitespace chunk (norm.split()) is looked up in ``cache``, and on a
 * miss ``entry(chunk)`` (ChannelModel.chunk_entry, which fills and may clear the cache) gives its
 * (sum, tokens, meaningful); the chunk sums are added in order, then the sum of the word pairs' weights
 * ("a b" for adjacent tokens, looked up in ``words``; a missing pair adds 0.0) is added to that total, with
 * the same double additions as the Python code (complex + complex, and sum() from 0j). Returns the total
 * and the number of tokens. An entry is read at once: a later miss may clear the cache that holds it. */
static PyObject *unit_total(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 4 || !PyUnicode_Check(args[0]) || !PyDict_Check(args[1]) || !PyDict_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "unit_total(norm: str, cache: dict, words: dict, entry)");
        return NULL;
    }
    PyObject *cache = args[1], *words = args[2], *entry = args[3];
    PyObject *chunks = PyUnicode_Split(args[0], NULL, -1); /* str.split() */
    if (!chunks) return NULL;
    PyObject *toks = PyList_New(0), *space = NULL, *pair = NULL, *result = NULL;
    if (!toks) goto done;
    double re = 0.0, im = 0.0;
    Py_ssize_t nchunks = PyList_GET_SIZE(chunks);
    for (Py_ssize_t i = 0; i < nchunks; i++) {
        PyObject *chunk = PyList_GET_ITEM(chunks, i);
        PyObject *e = PyDict_GetItemWithError(cache, chunk); /* borrowed */
        if (e) Py_INCREF(e);
        else if (PyErr_Occurred()) goto done;
        else if (!(e = PyObject_CallOneArg(entry, chunk))) goto done;
        if (!PyTuple_Check(e) || PyTuple_GET_SIZE(e) < 2 || !PyComplex_Check(PyTuple_GET_ITEM(e, 0))
            || !PyList_Check(PyTuple_GET_ITEM(e, 1))) {
            Py_DECREF(e);
            PyErr_SetString(PyExc_TypeError, "a chunk entry is (complex, list, ...)");
            goto done;
        }
        Py_complex z = PyComplex_AsCComplex(PyTuple_GET_ITEM(e, 0));
        re += z.real; im += z.imag;
        PyObject *t = PyTuple_GET_ITEM(e, 1);
        int bad = PyList_SetSlice(toks, PY_SSIZE_T_MAX, PY_SSIZE_T_MAX, t); /* toks += t */
        Py_DECREF(e);
        if (bad < 0) goto done;
    }
    double pre = 0.0, pim = 0.0; /* sum(map(words.get, pairs, repeat(0j)), 0j) */
    Py_ssize_t ntok = PyList_GET_SIZE(toks);
    if (ntok > 1) {
        if (!(space = PyUnicode_FromString(" ")) || !(pair = PyTuple_New(2))) goto done;
        for (Py_ssize_t i = 0; i + 1 < ntok; i++) {
            PyObject *a = PyList_GET_ITEM(toks, i), *b = PyList_GET_ITEM(toks, i + 1);
            Py_INCREF(a); Py_INCREF(b);
            PyObject *olda = PyTuple_GET_ITEM(pair, 0), *oldb = PyTuple_GET_ITEM(pair, 1);
            PyTuple_SET_ITEM(pair, 0, a); PyTuple_SET_ITEM(pair, 1, b);
            Py_XDECREF(olda); Py_XDECREF(oldb);
            PyObject *key = PyUnicode_Join(space, pair); /* " ".join((a, b)) */
            if (!key) goto done;
            PyObject *w = PyDict_GetItemWithError(words, key); /* borrowed */
            Py_DECREF(key);
            if (w) {
                if (!PyComplex_Check(w)) { PyErr_SetString(PyExc_TypeError, "a word weight is complex"); goto done; }
                Py_complex v = PyComplex_AsCComplex(w);
                pre += v.real; pim += v.imag;
            } else if (PyErr_Occurred()) goto done;
            else { pre += 0.0; pim += 0.0; } /* as sum() adds the 0j default */
        }
    }
    PyObject *total = PyComplex_FromDoubles(re + pre, im + pim);
    if (total) {
        result = Py_BuildValue("(Nn)", total, ntok);
    }
done:
    Py_DECREF(chunks);
    Py_XDECREF(toks);
    Py_XDECREF(space);
    Py_XDECREF(pair);
    return result;
}

static PyMethodDef methods[] = {
    {"build", build, METH_O, "build(chars: dict[str, complex]) -> table"},
    {"chunk_sum", (PyCFunction)(void (*)(void))chunk_sum, METH_FASTCALL,
     "chunk_sum(table, chunk) -> complex: the chunk's char n-gram weights, summed as model.chunk_sum_py does"},
    {"unit_total", (PyCFunction)(void (*)(void))unit_total, METH_FASTCALL,
     "unit_total(norm, cache, words, entry) -> (complex, int): model.ChannelModel.unit_total_py in C"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_ngrams",
                                    "The learned model's char n-gram sums in C (see model.py).", -1, methods};

PyMODINIT_FUNC PyInit__ngrams(void) { return PyModule_Create(&module); }
