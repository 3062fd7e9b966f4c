/* The verdict's JSON form in C (scamshield._speedups), for models.Verdict.to_dict.
 *
 * verdict_dict(verdict) returns exactly what Verdict.to_dict() builds in Python, and verdict_dict_quick(verdict)
 * what Verdict.to_dict(explain=False) builds: the same keys in the same order, the same values (rounded by the
 * builtin round(), so to the same bits), flags, evidence spans, advice and contributions included. It reads the
 * fields of Verdict, Flag, Span, Advice and Contribution (frozen, slotted dataclasses) straight from their slots,
 * at the offsets their slot descriptors give, which configure() looks up once; an item of any other type (a
 * subclass) gives its own to_dict(). A slot that is not set (it never happens: the dataclasses set every field)
 * raises AttributeError as reading it in Python would. models.py falls back to its Python code when this
 * extension is not built (it is optional: setup.py).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <math.h>

/* the fields read, per class, in the order of these names */
static const char *VERDICT_FIELDS[] = {"id", "verdict", "risk", "spam_score", "scam_type", "scam_type_label",
                                       "flags", "advice", "contributions", NULL};
static const char *FLAG_FIELDS[] = {"id", "description", "weight", "confidence", "group", "status", "evidence",
                                    "note", "reason", NULL};
static const char *SPAN_FIELDS[] = {"text", "start", "end", "turn", NULL};
static const char *ADVICE_FIELDS[] = {"text", "source", NULL};
static const char *CONTRIB_FIELDS[] = {"id", "kind", "score", "points", "weight", "confidence", NULL};

enum { V_ID, V_VERDICT, V_RISK, V_SPAM, V_TYPE, V_TYPE_LABEL, V_FLAGS, V_ADVICE, V_CONTRIBS, V_N };
enum { F_ID, F_DESC, F_WEIGHT, F_CONF, F_GROUP, F_STATUS, F_EVIDENCE, F_NOTE, F_REASON, F_N };
enum { S_TEXT, S_START, S_END, S_TURN, S_N };
enum { A_TEXT, A_SOURCE, A_N };
enum { C_ID, C_KIND, C_SCORE, C_POINTS, C_WEIGHT, C_CONF, C_N };

typedef struct {
    PyTypeObject *type;
    Py_ssize_t offsets[10];
    PyObject *names[10]; /* interned field names: the dict keys, and the attribute names */
    int n;
} Shape;

static Shape verdict_shape, flag_shape, span_shape, advice_shape, contrib_shape;
static PyObject *round_fn, *four, *six, *warning_str, *to_dict_str;
static int configured;

static int shape_init(Shape *s, PyObject *type, const char **fields) {
    if (!PyType_Check(type)) {
        PyErr_SetString(PyExc_TypeError, "configure() takes the classes Verdict, Flag, Span, Advice, Contribution");
        return -1;
    }
    PyObject *dict = ((PyTypeObject *)type)->tp_dict;
    int n = 0;
    for (; fields[n]; n++) {
        PyObject *name = PyUnicode_InternFromString(fields[n]);
        if (!name) return -1;
        PyObject *descr = PyDict_GetItemWithError(dict, name); /* borrowed */
        if (!descr || Py_TYPE(descr) != &PyMemberDescr_Type) {
            Py_DECREF(name);
            if (!PyErr_Occurred())
                PyErr_Format(PyExc_TypeError, "%s.%s is not a slot", ((PyTypeObject *)type)->tp_name, fields[n]);
            return -1;
        }
        PyMemberDef *m = ((PyMemberDescrObject *)descr)->d_member;
        if (m->type != T_OBJECT_EX) {
            Py_DECREF(name);
            PyErr_Format(PyExc_TypeError, "%s.%s is not an object slot", ((PyTypeObject *)type)->tp_name, fields[n]);
            return -1;
        }
        Py_XSETREF(s->names[n], name);
        s->offsets[n] = m->offset;
    }
    Py_INCREF(type);
    Py_XSETREF(s->type, (PyTypeObject *)type);
    s->n = n;
    return 0;
}

static PyObject *configure(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "configure(Verdict, Flag, Span, Advice, Contribution)");
        return NULL;
    }
    configured = 0;
    if (shape_init(&verdict_shape, args[0], VERDICT_FIELDS) < 0 || shape_init(&flag_shape, args[1], FLAG_FIELDS) < 0
        || shape_init(&span_shape, args[2], SPAN_FIELDS) < 0 || shape_init(&advice_shape, args[3], ADVICE_FIELDS) < 0
        || shape_init(&contrib_shape, args[4], CONTRIB_FIELDS) < 0)
        return NULL;
    if (!round_fn) {
        PyObject *builtins = PyEval_GetBuiltins(); /* borrowed */
        round_fn = builtins ? PyDict_GetItemString(builtins, "round") : NULL;
        if (!round_fn) {
            PyErr_SetString(PyExc_RuntimeError, "no builtin round");
            return NULL;
        }
        Py_INCREF(round_fn);
        four = PyLong_FromLong(4);
        six = PyLong_FromLong(6);
        warning_str = PyUnicode_InternFromString("warning");
        to_dict_str = PyUnicode_InternFromString("to_dict");
        if (!four || !six || !warning_str || !to_dict_str) return NULL;
    }
    configured = 1;
    Py_RETURN_NONE;
}

/* the value of field i of obj (an instance of exactly s->type), borrowed; NULL with AttributeError if unset */
static inline PyObject *field(const Shape *s, PyObject *obj, int i) {
    PyObject *v = *(PyObject **)((char *)obj + s->offsets[i]);
    if (v == NULL) PyErr_SetObject(PyExc_AttributeError, s->names[i]);
    return v;
}

/* round(x, digits), digits 4 or 6 (scale 1e4 or 1e6). The builtin round() of a float is correctly rounded: it
 * writes the float's exact value to that many decimals (half to even) and reads the decimal back (dtoa, ~0.3 us).
 * For a float of ordinary size whose scaled value y = x * scale is not near a half, the same answer comes from
 * the nearest integer r to y: y is within half an ulp of the exact product, so they round to the same r when y
 * is further than a few ulps from a half; and r / scale, both exact doubles, is correctly rounded by IEEE
 * division, so it is the double nearest to the decimal r * 10^-digits, which is what reading it back gives. A
 * zero keeps the sign of x, as "-0" reads back as -0.0. Anything else (near a half, huge, not finite, not a
 * float) goes to the builtin. tests/test_speedups_c.py checks this against round() on a million floats. */
static PyObject *rounded(PyObject *x, PyObject *digits) {
    if (PyFloat_CheckExact(x)) {
        double v = PyFloat_AS_DOUBLE(x), scale = digits == four ? 1e4 : 1e6;
        if (isfinite(v) && fabs(v) < 1e8) {
            double y = v * scale, fl = floor(y), f = y - fl; /* f exact: y's bits below the units */
            if (fabs(f - 0.5) > fabs(y) * 0x1p-48 + 0x1p-60) {
                double r = f > 0.5 ? fl + 1.0 : fl;
                return PyFloat_FromDouble(r == 0.0 ? copysign(0.0, v) : r / scale);
            }
        }
    }
    PyObject *args[2] = {x, digits};
    return PyObject_Vectorcall(round_fn, args, 2, NULL);
}

static PyObject *py_rounded(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "_speedups.configure() was not called");
        return NULL;
    }
    long d = nargs == 2 ? PyLong_AsLong(args[1]) : -1;
    if (d == -1 && PyErr_Occurred()) return NULL;
    if (nargs != 2 || (d != 4 && d != 6)) {
        PyErr_SetString(PyExc_ValueError, "rounded(x, 4 or 6)");
        return NULL;
    }
    return rounded(args[0], d == 4 ? four : six);
}

/* d[name] = value, stealing the reference to value (NULL: an error already set) */
static inline int put_new(PyObject *d, PyObject *name, PyObject *value) {
    if (value == NULL) return -1;
    int r = PyDict_SetItem(d, name, value);
    Py_DECREF(value);
    return r;
}

/* d[shape's name i] = obj's field i */
static inline int put_field(PyObject *d, const Shape *s, PyObject *obj, int i) {
    PyObject *v = field(s, obj, i);
    return v == NULL ? -1 : PyDict_SetItem(d, s->names[i], v);
}

static PyObject *own_to_dict(PyObject *obj) { return PyObject_CallMethodNoArgs(obj, to_dict_str); }

static PyObject *span_dict(PyObject *sp) {
    if (Py_TYPE(sp) != span_shape.type) return own_to_dict(sp);
    PyObject *d = PyDict_New();
    if (!d) return NULL;
    for (int i = 0; i < S_N; i++)
        if (put_field(d, &span_shape, sp, i) < 0) { Py_DECREF(d); return NULL; }
    return d;
}

/* [item_dict(x) for x in seq] */
static PyObject *list_of(PyObject *seq, PyObject *(*item_dict)(PyObject *)) {
    PyObject *fast = PySequence_Fast(seq, "expected a sequence");
    if (!fast) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    PyObject **items = PySequence_Fast_ITEMS(fast);
    PyObject *out = PyList_New(n);
    if (!out) { Py_DECREF(fast); return NULL; }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *d = item_dict(items[i]);
        if (!d) { Py_DECREF(out); Py_DECREF(fast); return NULL; }
        PyList_SET_ITEM(out, i, d);
    }
    Py_DECREF(fast);
    return out;
}

static PyObject *flag_dict(PyObject *f) {
    if (Py_TYPE(f) != flag_shape.type) return own_to_dict(f);
    const Shape *s = &flag_shape;
    PyObject *d = PyDict_New();
    if (!d) return NULL;
    PyObject *conf, *ev, *note, *reason;
    if (put_field(d, s, f, F_ID) < 0 || put_field(d, s, f, F_DESC) < 0 || put_field(d, s, f, F_WEIGHT) < 0
        || !(conf = field(s, f, F_CONF)) || put_new(d, s->names[F_CONF], rounded(conf, four)) < 0
        || put_field(d, s, f, F_GROUP) < 0 || put_field(d, s, f, F_STATUS) < 0
        || !(ev = field(s, f, F_EVIDENCE)) || put_new(d, s->names[F_EVIDENCE], list_of(ev, span_dict)) < 0
        || !(note = field(s, f, F_NOTE)) || !(reason = field(s, f, F_REASON)))
        goto fail;
    int t = PyObject_IsTrue(note);
    if (t < 0 || (t && PyDict_SetItem(d, s->names[F_NOTE], note) < 0)) goto fail;
    t = PyObject_IsTrue(reason);
    if (t < 0 || (t && PyDict_SetItem(d, s->names[F_REASON], reason) < 0)) goto fail;
    return d;
fail:
    Py_DECREF(d);
    return NULL;
}

static PyObject *advice_dict(PyObject *a) {
    if (Py_TYPE(a) != advice_shape.type) return own_to_dict(a);
    PyObject *d = PyDict_New();
    if (!d) return NULL;
    if (put_field(d, &advice_shape, a, A_TEXT) < 0 || put_field(d, &advice_shape, a, A_SOURCE) < 0) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

static PyObject *contrib_dict(PyObject *c) {
    if (Py_TYPE(c) != contrib_shape.type) return own_to_dict(c);
    const Shape *s = &contrib_shape;
    PyObject *d = PyDict_New();
    if (!d) return NULL;
    PyObject *points, *weight, *conf;
    if (put_field(d, s, c, C_ID) < 0 || put_field(d, s, c, C_KIND) < 0 || put_field(d, s, c, C_SCORE) < 0
        || !(points = field(s, c, C_POINTS)) || put_new(d, s->names[C_POINTS], rounded(points, six)) < 0
        || !(weight = field(s, c, C_WEIGHT)) || !(conf = field(s, c, C_CONF)))
        goto fail;
    if (weight != Py_None && PyDict_SetItem(d, s->names[C_WEIGHT], weight) < 0) goto fail;
    if (conf != Py_None && put_new(d, s->names[C_CONF], rounded(conf, six)) < 0) goto fail;
    return d;
fail:
    Py_DECREF(d);
    return NULL;
}

static int check(PyObject *v) {
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "_speedups.configure() was not called");
        return -1;
    }
    if (Py_TYPE(v) != verdict_shape.type) {
        PyErr_SetString(PyExc_TypeError, "expected a Verdict (not a subclass)");
        return -1;
    }
    return 0;
}

/* id, verdict, risk and spam score rounded to 4 places, scam type: the start of both forms */
static PyObject *verdict_head(PyObject *v) {
    const Shape *s = &verdict_shape;
    PyObject *d = PyDict_New();
    if (!d) return NULL;
    PyObject *risk, *spam;
    if (put_field(d, s, v, V_ID) < 0 || put_field(d, s, v, V_VERDICT) < 0
        || !(risk = field(s, v, V_RISK)) || put_new(d, s->names[V_RISK], rounded(risk, four)) < 0
        || !(spam = field(s, v, V_SPAM)) || put_new(d, s->names[V_SPAM], rounded(spam, four)) < 0
        || put_field(d, s, v, V_TYPE) < 0) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

static PyObject *verdict_dict(PyObject *self, PyObject *v) {
    if (check(v) < 0) return NULL;
    const Shape *s = &verdict_shape;
    PyObject *d = verdict_head(v);
    if (!d) return NULL;
    PyObject *flags, *advice, *contribs;
    if (put_field(d, s, v, V_TYPE_LABEL) < 0
        || !(flags = field(s, v, V_FLAGS)) || put_new(d, s->names[V_FLAGS], list_of(flags, flag_dict)) < 0
        || !(advice = field(s, v, V_ADVICE)) || put_new(d, s->names[V_ADVICE], list_of(advice, advice_dict)) < 0
        || !(contribs = field(s, v, V_CONTRIBS))
        || put_new(d, s->names[V_CONTRIBS], list_of(contribs, contrib_dict)) < 0) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

/* [f.id for f in flags if f.status == "warning"] */
static PyObject *warning_ids(PyObject *flags) {
    PyObject *fast = PySequence_Fast(flags, "expected a sequence");
    if (!fast) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    PyObject **items = PySequence_Fast_ITEMS(fast);
    PyObject *out = PyList_New(0);
    if (!out) goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *f = items[i], *status, *id;
        int own = Py_TYPE(f) == flag_shape.type;
        if (own) {
            if (!(status = field(&flag_shape, f, F_STATUS))) goto fail;
            Py_INCREF(status);
        } else if (!(status = PyObject_GetAttr(f, flag_shape.names[F_STATUS]))) {
            goto fail;
        }
        int eq = PyObject_RichCompareBool(status, warning_str, Py_EQ);
        Py_DECREF(status);
        if (eq < 0) goto fail;
        if (!eq) continue;
        if (own) {
            if (!(id = field(&flag_shape, f, F_ID))) goto fail;
            Py_INCREF(id);
        } else if (!(id = PyObject_GetAttr(f, flag_shape.names[F_ID]))) {
            goto fail;
        }
        int r = PyList_Append(out, id);
        Py_DECREF(id);
        if (r < 0) goto fail;
    }
    Py_DECREF(fast);
    return out;
fail:
    Py_XDECREF(out);
    Py_DECREF(fast);
    return NULL;
}

static PyObject *verdict_dict_quick(PyObject *self, PyObject *v) {
    if (check(v) < 0) return NULL;
    PyObject *d = verdict_head(v);
    if (!d) return NULL;
    PyObject *flags = field(&verdict_shape, v, V_FLAGS);
    if (!flags || put_new(d, verdict_shape.names[V_FLAGS], warning_ids(flags)) < 0) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

static PyMethodDef methods[] = {
    {"configure", (PyCFunction)(void (*)(void))configure, METH_FASTCALL,
     "configure(Verdict, Flag, Span, Advice, Contribution): the classes whose slots are read"},
    {"verdict_dict", verdict_dict, METH_O, "verdict_dict(verdict) -> dict: Verdict.to_dict() in C"},
    {"rounded", (PyCFunction)(void (*)(void))py_rounded, METH_FASTCALL,
     "rounded(x, 4 or 6): round(x, digits), as verdict_dict rounds (for the tests; after configure())"},
    {"verdict_dict_quick", verdict_dict_quick, METH_O,
     "verdict_dict_quick(verdict) -> dict: Verdict.to_dict(explain=False) in C"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_speedups",
                                    "The verdict's JSON form in C (see models.py).", -1, methods};

PyMODINIT_FUNC PyInit__speedups(void) { return PyModule_Create(&module); }
