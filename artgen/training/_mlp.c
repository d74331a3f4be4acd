/* The trainer's kernels besides the first layer's products (those are in _thin.c): Keras's
 * Adam step on flat vectors, the batch gather (pixels rescaled on the way), the layers after
 * the first (forward, then the softmax and backward pass), and the logistic sigmoid.
 *
 * float32 and float64, single-threaded, compiled without fused multiply-adds or any
 * reassociation: every value is computed in the order _mlp_kernels.h writes it. Entry points
 * take raw addresses and sizes (the trainer's buffers are preallocated and their addresses
 * kept), so a call costs well under a microsecond; artgen/training/kernels.py wraps them for
 * numpy arrays, with the checks.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>

typedef Py_ssize_t idx;

/* The hidden layers' activation codes: the module exports them, artgen/training/kernels.py
 * maps activation names to them. */
enum { RELU, LEAKY, TANH, SIGMOID };

/* Each kernel is compiled twice, for AVX2 (8 floats a vector) and for the baseline (SSE2, 4),
 * and the loader picks one for this CPU. Both give the same bits: the vectorised loops are
 * element by element (no sums split across lanes), and sqrt and division are exact in IEEE. */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define KERNEL static __attribute__((target_clones("avx2", "default")))
#else
#define KERNEL static
#endif

#define REAL float
#define NAME(x) x##_f32
#define EXP expf
#define SQRT sqrtf
#include "_mlp_kernels.h"
#undef REAL
#undef NAME
#undef EXP
#undef SQRT

#define REAL double
#define NAME(x) x##_f64
#define EXP exp
#define SQRT sqrt
#include "_mlp_kernels.h"
#undef REAL
#undef NAME
#undef EXP
#undef SQRT

/* out[i, k] = source[rows[i], k] * scale - shift for k < cols, in float32; a uint8 or float32
 * source is computed in float32, a float64 one in float64 (then rounded). */
#define GATHER(T, W)                                                                    \
    for (idx i = 0; i < n; i++) {                                                       \
        const T *src = (const T *)source + rows[i] * ldsrc;                             \
        float *dst = out + i * ldout;                                                   \
        for (idx k = 0; k < cols; k++) dst[k] = (float)((W)src[k] * (W)scale - (W)shift); \
    }

KERNEL int gather(int kind, const void *source, idx ldsrc, const int64_t *rows, idx n,
                  float scale, float shift, float *out, idx ldout, idx cols) {
    if (kind == 1) GATHER(uint8_t, float)
    else if (kind == 4) GATHER(float, float)
    else if (kind == 8) GATHER(double, double)
    else return -1;
    return 0;
}

/* ---- Python entry points -------------------------------------------------------------- */

/* Each argument is an int (address, size, code) or, where `floats` has a 'd', a float. */
static int read_args(PyObject *const *args, Py_ssize_t nargs, const char *floats, idx *ints,
                     double *reals) {
    Py_ssize_t want = (Py_ssize_t)strlen(floats);
    if (nargs != want) {
        PyErr_Format(PyExc_TypeError, "expected %zd arguments, got %zd", want, nargs);
        return -1;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        if (floats[i] == 'd') {
            reals[i] = PyFloat_AsDouble(args[i]);
            if (reals[i] == -1.0 && PyErr_Occurred()) return -1;
        } else {
            ints[i] = PyLong_AsSsize_t(args[i]);
            if (ints[i] == -1 && PyErr_Occurred()) return -1;
        }
    }
    return 0;
}

static int precision(idx code) {
    if (code == 4 || code == 8) return (int)code;
    PyErr_Format(PyExc_ValueError, "expected a precision of 4 or 8 bytes, got %zd", code);
    return 0;
}

#define ADDR(T, k) ((T *)(intptr_t)a[k])

static PyObject *py_adam(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    /* precision; params, grad, m, v addresses; n; r, 1 - beta1, 1 - beta2, alpha, eps */
    idx a[11];
    double f[11];
    if (read_args(args, nargs, "iiiiiiddddd", a, f) < 0 || !precision(a[0])) return NULL;
    Py_BEGIN_ALLOW_THREADS
    if (a[0] == 4)
        adam_f32(ADDR(float, 1), ADDR(const float, 2), ADDR(float, 3), ADDR(float, 4), a[5],
                 (float)f[6], (float)f[7], (float)f[8], (float)f[9], (float)f[10]);
    else
        adam_f64(ADDR(double, 1), ADDR(const double, 2), ADDR(double, 3), ADDR(double, 4), a[5],
                 f[6], f[7], f[8], f[9], f[10]);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static PyObject *py_forward(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    /* precision; params, offsets, rows, sizes addresses; act; slope; h address; batch;
     * first, stop */
    idx a[11];
    double f[11];
    if (read_args(args, nargs, "iiiiiidiiii", a, f) < 0 || !precision(a[0])) return NULL;
    int act = (int)a[5];
    Py_BEGIN_ALLOW_THREADS
    if (a[0] == 4)
        forward_f32(ADDR(const float, 1), ADDR(const int64_t, 2), ADDR(const int64_t, 3),
                    ADDR(const int64_t, 4), act, (float)f[6], ADDR(float, 7), a[8], a[9], a[10]);
    else
        forward_f64(ADDR(const double, 1), ADDR(const int64_t, 2), ADDR(const int64_t, 3),
                    ADDR(const int64_t, 4), act, f[6], ADDR(double, 7), a[8], a[9], a[10]);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static PyObject *py_backward(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    /* precision; params, grad, offsets, rows, sizes addresses; layers; act; slope; h, d
     * addresses; batch; onehot address, its row stride; ht address, stride; dt address,
     * stride */
    idx a[18];
    double f[18];
    if (read_args(args, nargs, "iiiiiiiidiiiiiiiii", a, f) < 0 || !precision(a[0])) return NULL;
    int act = (int)a[7];
    Py_BEGIN_ALLOW_THREADS
    if (a[0] == 4)
        backward_f32(ADDR(const float, 1), ADDR(float, 2), ADDR(const int64_t, 3),
                     ADDR(const int64_t, 4), ADDR(const int64_t, 5), a[6], act, (float)f[8],
                     ADDR(const float, 9), ADDR(float, 10), a[11], ADDR(const float, 12), a[13],
                     ADDR(float, 14), a[15], ADDR(float, 16), a[17]);
    else
        backward_f64(ADDR(const double, 1), ADDR(double, 2), ADDR(const int64_t, 3),
                     ADDR(const int64_t, 4), ADDR(const int64_t, 5), a[6], act, f[8],
                     ADDR(const double, 9), ADDR(double, 10), a[11], ADDR(const double, 12),
                     a[13], ADDR(double, 14), a[15], ADDR(double, 16), a[17]);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static PyObject *py_sigmoid(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    idx a[3];  /* precision; x address; count */
    double f[3];
    if (read_args(args, nargs, "iii", a, f) < 0 || !precision(a[0])) return NULL;
    Py_BEGIN_ALLOW_THREADS
    if (a[0] == 4) sigmoid_f32(ADDR(float, 1), a[2]);
    else sigmoid_f64(ADDR(double, 1), a[2]);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static PyObject *py_gather(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    /* source kind (its item size: 1 uint8, 4 float32, 8 float64); source address, its row
     * count and row stride; rows address, count; scale, shift; out address, row stride;
     * columns */
    idx a[11];
    double f[11];
    if (read_args(args, nargs, "iiiiiiddiii", a, f) < 0) return NULL;
    const int64_t *rows = ADDR(const int64_t, 4);
    for (idx i = 0; i < a[5]; i++) {
        if (rows[i] < 0 || rows[i] >= a[2]) {
            PyErr_Format(PyExc_IndexError, "row %lld of a source of %zd rows",
                         (long long)rows[i], a[2]);
            return NULL;
        }
    }
    int failed;
    Py_BEGIN_ALLOW_THREADS
    failed = gather((int)a[0], ADDR(const void, 1), a[3], rows, a[5], (float)f[6], (float)f[7],
                    ADDR(float, 8), a[9], a[10]);
    Py_END_ALLOW_THREADS
    if (failed) {
        PyErr_Format(PyExc_ValueError, "expected a uint8, float32 or float64 source, got kind %zd",
                     a[0]);
        return NULL;
    }
    Py_RETURN_NONE;
}

#define FAST(f) (PyCFunction)(void (*)(void))f, METH_FASTCALL

static PyMethodDef methods[] = {
    {"adam", FAST(py_adam), "adam(precision, params, grad, m, v, n, r, 1-b1, 1-b2, alpha, eps)"},
    {"forward", FAST(py_forward),
     "forward(precision, params, offsets, rows, sizes, act, slope, h, batch, first, stop)"},
    {"backward", FAST(py_backward),
     "backward(precision, params, grad, offsets, rows, sizes, layers, act, slope, h, d, batch, "
     "onehot, ldo, ht, ldht, dt, lddt)"},
    {"sigmoid", FAST(py_sigmoid), "sigmoid(precision, x, n): x = 1 / (1 + exp(-x)) in place"},
    {"gather", FAST(py_gather),
     "gather(kind, source, source_rows, ldsrc, rows, n, scale, shift, out, ldout, cols)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_mlp", "The trainer's Adam, gather, later layers and sigmoid.", -1,
    methods,
};

PyMODINIT_FUNC PyInit__mlp(void) {
    static const struct { const char *name; int code; } codes[] = {
        {"RELU", RELU}, {"LEAKY", LEAKY}, {"TANH", TANH}, {"SIGMOID", SIGMOID},
    };
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        if (PyModule_AddIntConstant(m, codes[i].name, codes[i].code) < 0) {
            Py_DECREF(m);
            return NULL;
        }
    }
    return m;
}
