/* The trainer's first-layer products, for its thin shapes (a batch of 64 images, a few
 * thousand inputs, a few to a few dozen units), where a general BLAS runs at half its speed.
 *
 *   forward:  z[j, b] = bias[j] + sum_k w[j, k] x[b, k]      (z: units x batch)
 *   gradient: g[j, k] = sum_b d[j, b] x[b, k]                 (g: units x inputs)
 *
 * float32, row-major, single-threaded. Each call says which of two paths to take: with AVX2 and
 * FMA (checked at load time: `vectorised`) the products run in register blocks, 4 units x 3
 * images of 8-lane partial sums for the forward product, 4 units x 24 inputs for the gradient;
 * otherwise, or when the caller asks for them, in portable loops. Either way every value is
 * summed in an order fixed by the shapes alone, so the same inputs on the same path give the
 * same bits; the two paths sum in different orders (and the blocks fuse multiply-adds), so
 * they agree only to rounding.
 * Entry points take raw addresses (the trainer's buffers are preallocated), so a call costs
 * a fraction of a microsecond.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <immintrin.h>
#include <stddef.h>
#include <stdlib.h>

typedef Py_ssize_t idx;

/* ---- portable loops ------------------------------------------------------------------- */

static void forward_plain(const float *w, const float *x, const float *bias, float *z,
                          idx units, idx batch, idx inputs, idx ldx) {
    for (idx j = 0; j < units; j++) {
        for (idx b = 0; b < batch; b++) {
            float s = 0.0f;
            for (idx k = 0; k < inputs; k++) s += w[j * inputs + k] * x[b * ldx + k];
            z[j * batch + b] = bias[j] + s;
        }
    }
}

static void gradient_plain(const float *d, const float *x, float *g, idx units, idx batch,
                           idx inputs, idx ldx) {
    for (idx j = 0; j < units; j++) {
        for (idx k = 0; k < inputs; k++) g[j * inputs + k] = 0.0f;
        for (idx b = 0; b < batch; b++) {
            float dj = d[j * batch + b];
            for (idx k = 0; k < inputs; k++) g[j * inputs + k] += dj * x[b * ldx + k];
        }
    }
}

/* ---- AVX2 + FMA ----------------------------------------------------------------------- */

#define AVX __attribute__((target("avx2,fma")))
#define INLINE static inline __attribute__((always_inline))

/* The 8 lanes of v summed in a fixed order: (0+4, 1+5, 2+6, 3+7), then pairs, then one. */
AVX INLINE float lanes_sum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/* Partial sums of z[j0+u, b0+i] for u < JN, i < BN over inputs k0 .. k0+8*steps, added to
 * their 8-lane accumulators in `lanes` (units x batch x 8). JN and BN are constants at every
 * call, so the block's accumulators live in registers. */
AVX INLINE void forward_block(const float *w, const float *x, float *lanes, idx batch, idx inputs,
                              idx ldx, idx j0, idx b0, idx k0, idx steps, int JN, int BN) {
    __m256 acc[4][3];
    const float *wr[4], *xr[3];
    for (int u = 0; u < JN; u++) {
        wr[u] = w + (j0 + u) * inputs + k0;
        for (int i = 0; i < BN; i++) acc[u][i] = _mm256_loadu_ps(lanes + 8 * ((j0 + u) * batch + b0 + i));
    }
    for (int i = 0; i < BN; i++) xr[i] = x + (b0 + i) * ldx + k0;
    for (idx s = 0; s < steps; s++) {
        __m256 xv[3];
        for (int i = 0; i < BN; i++) xv[i] = _mm256_loadu_ps(xr[i] + 8 * s);
        for (int u = 0; u < JN; u++) {
            __m256 wv = _mm256_loadu_ps(wr[u] + 8 * s);
            for (int i = 0; i < BN; i++) acc[u][i] = _mm256_fmadd_ps(wv, xv[i], acc[u][i]);
        }
    }
    for (int u = 0; u < JN; u++)
        for (int i = 0; i < BN; i++) _mm256_storeu_ps(lanes + 8 * ((j0 + u) * batch + b0 + i), acc[u][i]);
}

#define FORWARD_UNITS(BN)                                                                  \
    do {                                                                                   \
        idx j = 0;                                                                         \
        for (; j + 4 <= units; j += 4)                                                     \
            forward_block(w, x, lanes, batch, inputs, ldx, j, b, k0, steps, 4, BN);        \
        if (units - j == 3) forward_block(w, x, lanes, batch, inputs, ldx, j, b, k0, steps, 3, BN); \
        if (units - j == 2) forward_block(w, x, lanes, batch, inputs, ldx, j, b, k0, steps, 2, BN); \
        if (units - j == 1) forward_block(w, x, lanes, batch, inputs, ldx, j, b, k0, steps, 1, BN); \
    } while (0)

/* Inputs go in chunks whose slice of w fits the 32 kB first-level cache with room to spare;
 * within a chunk, 3 images at a time meet every unit's slice. After the last chunk, each
 * value's 8 lanes are summed, then the k % 8 tail, then the bias. */
AVX static int forward_avx(const float *w, const float *x, const float *bias, float *z,
                           idx units, idx batch, idx inputs, idx ldx) {
    float *lanes = calloc((size_t)(units * batch * 8), sizeof(float));
    if (lanes == NULL) return -1;
    idx whole = inputs / 8 * 8, chunk = 16384 / (4 * (units > 0 ? units : 1)) / 8 * 8;
    if (chunk < 64) chunk = 64;
    if (chunk > 1024) chunk = 1024;
    for (idx k0 = 0; k0 < whole; k0 += chunk) {
        idx steps = (k0 + chunk <= whole ? chunk : whole - k0) / 8;
        idx b = 0;
        for (; b + 3 <= batch; b += 3) FORWARD_UNITS(3);
        if (batch - b == 2) FORWARD_UNITS(2);
        if (batch - b == 1) FORWARD_UNITS(1);
    }
    for (idx j = 0; j < units; j++) {
        for (idx b = 0; b < batch; b++) {
            float s = lanes_sum(_mm256_loadu_ps(lanes + 8 * (j * batch + b)));
            for (idx t = whole; t < inputs; t++) s += w[j * inputs + t] * x[b * ldx + t];
            z[j * batch + b] = bias[j] + s;
        }
    }
    free(lanes);
    return 0;
}

/* g[j0+u, k0 .. k0+8*KV) for u < JN: sums over the batch in order, b = 0, 1, ... */
AVX INLINE void gradient_block(const float *d, const float *x, float *g, idx batch, idx inputs,
                               idx ldx, idx j0, idx k0, int JN, int KV) {
    __m256 acc[4][3];
    for (int u = 0; u < JN; u++)
        for (int v = 0; v < KV; v++) acc[u][v] = _mm256_setzero_ps();
    for (idx b = 0; b < batch; b++) {
        const float *xb = x + b * ldx + k0;
        __m256 xv[3];
        for (int v = 0; v < KV; v++) xv[v] = _mm256_loadu_ps(xb + 8 * v);
        for (int u = 0; u < JN; u++) {
            __m256 dv = _mm256_broadcast_ss(d + (j0 + u) * batch + b);
            for (int v = 0; v < KV; v++) acc[u][v] = _mm256_fmadd_ps(dv, xv[v], acc[u][v]);
        }
    }
    for (int u = 0; u < JN; u++)
        for (int v = 0; v < KV; v++) _mm256_storeu_ps(g + (j0 + u) * inputs + k0 + 8 * v, acc[u][v]);
}

#define GRADIENT_COLUMN(KV)                                                               \
    do {                                                                                  \
        idx j = 0, r = units % 4 == 1 && units > 4 ? units - 5 : units - units % 4;     \
        for (; j < r; j += 4) gradient_block(d, x, g, batch, inputs, ldx, j, k, 4, KV);    \
        if (units - j == 5) { gradient_block(d, x, g, batch, inputs, ldx, j, k, 3, KV); j += 3; } \
        if (units - j == 3) gradient_block(d, x, g, batch, inputs, ldx, j, k, 3, KV);      \
        if (units - j == 2) gradient_block(d, x, g, batch, inputs, ldx, j, k, 2, KV);      \
        if (units - j == 1) gradient_block(d, x, g, batch, inputs, ldx, j, k, 1, KV);      \
    } while (0)

AVX static void gradient_avx(const float *d, const float *x, float *g, idx units, idx batch,
                             idx inputs, idx ldx) {
    idx k = 0;  /* inputs in columns of 24, 16 or 8; the rest one by one */
    for (; k + 24 <= inputs; k += 24) GRADIENT_COLUMN(3);
    if (inputs - k >= 16) { GRADIENT_COLUMN(2); k += 16; }
    if (inputs - k >= 8) { GRADIENT_COLUMN(1); k += 8; }
    for (; k < inputs; k++) {
        for (idx j = 0; j < units; j++) {
            float s = 0.0f;
            for (idx b = 0; b < batch; b++) s += d[j * batch + b] * x[b * ldx + k];
            g[j * inputs + k] = s;
        }
    }
}

/* ---- Python entry points -------------------------------------------------------------- */

static int has_avx = 0;

static int read_args(PyObject *const *args, Py_ssize_t nargs, idx *out, Py_ssize_t want) {
    if (nargs != want) {
        PyErr_Format(PyExc_TypeError, "expected %zd arguments, got %zd", want, nargs);
        return -1;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        out[i] = PyLong_AsSsize_t(args[i]);
        if (out[i] == -1 && PyErr_Occurred()) return -1;
    }
    return 0;
}

static PyObject *py_forward(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    idx a[9];  /* w, x, bias, z addresses; units, batch, inputs, x's row stride; vectorised */
    if (read_args(args, nargs, a, 9) < 0) return NULL;
    const float *w = (const float *)a[0], *x = (const float *)a[1], *bias = (const float *)a[2];
    float *z = (float *)a[3];
    int failed = 0;
    Py_BEGIN_ALLOW_THREADS
    if (a[8] && has_avx) failed = forward_avx(w, x, bias, z, a[4], a[5], a[6], a[7]);
    else forward_plain(w, x, bias, z, a[4], a[5], a[6], a[7]);
    Py_END_ALLOW_THREADS
    if (failed) return PyErr_NoMemory();
    Py_RETURN_NONE;
}

static PyObject *py_gradient(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    idx a[8];  /* d, x, g addresses; units, batch, inputs, x's row stride; vectorised */
    if (read_args(args, nargs, a, 8) < 0) return NULL;
    const float *d = (const float *)a[0], *x = (const float *)a[1];
    float *g = (float *)a[2];
    Py_BEGIN_ALLOW_THREADS
    if (a[7] && has_avx) gradient_avx(d, x, g, a[3], a[4], a[5], a[6]);
    else gradient_plain(d, x, g, a[3], a[4], a[5], a[6]);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"forward", (PyCFunction)(void (*)(void))py_forward, METH_FASTCALL,
     "forward(w, x, bias, z, units, batch, inputs, ldx, vectorised): z = bias + w x^T "
     "(addresses of float32; the AVX2 blocks if vectorised and supported)"},
    {"gradient", (PyCFunction)(void (*)(void))py_gradient, METH_FASTCALL,
     "gradient(d, x, g, units, batch, inputs, ldx, vectorised): g = d x (addresses of float32)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_thin", "The trainer's thin first-layer products.", -1, methods,
};

PyMODINIT_FUNC PyInit__thin(void) {
    __builtin_cpu_init();
    has_avx = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    PyObject *m = PyModule_Create(&module);
    if (m != NULL && PyModule_AddIntConstant(m, "vectorised", has_avx) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
