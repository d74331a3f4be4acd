/* The trainer's kernels in one precision, included by _mlp.c once for float and once for
 * double with REAL (the type), NAME(x) (x's name in that precision), EXP and SQRT defined.
 *
 * Every value is computed in the order written, in REAL, without fused multiply-adds
 * (_mlp.c is compiled with -ffp-contract=off), so a kernel gives the same bits on every run
 * and every machine whose libm gives the same exp.
 *
 * Layout (see artgen/training/network.py): `params` holds the first layer (not touched here),
 * then each later layer i as an (n_out x n_in + 1) row-major matrix [kernel | bias] from
 * offsets[i]; h and d stack every layer's values (h) and loss gradients (d) from the first
 * hidden layer on, one row per unit, `batch` values a row; layer i's units start at row
 * rows[i - 1].
 */

/* Keras's Adam on flat vectors: m, v and the parameters updated in one pass. */
KERNEL void NAME(adam)(REAL *params, const REAL *grad, REAL *m, REAL *v, idx n, REAL r,
                       REAL one_minus_b1, REAL one_minus_b2, REAL alpha, REAL eps) {
    for (idx i = 0; i < n; i++) {
        REAL g = grad[i] * r;
        REAL mi = m[i] + (g - m[i]) * one_minus_b1;
        REAL vi = v[i] + (g * g - v[i]) * one_minus_b2;
        m[i] = mi;
        v[i] = vi;
        params[i] -= alpha * mi / (SQRT(vi) + eps);
    }
}

/* For layers first .. stop-1: apply a rectifier (RELU, LEAKY; other codes: the layer is
 * activated already) to layer i's values, then compute layer i + 1's. */
KERNEL void NAME(forward)(const REAL *params, const int64_t *offsets, const int64_t *rows,
                          const int64_t *sizes, int act, REAL slope, REAL *h, idx batch,
                          idx first, idx stop) {
    for (idx i = first; i < stop; i++) {
        idx n_in = sizes[i], n_out = sizes[i + 1];
        REAL *a = h + rows[i - 1] * batch;
        if (act == RELU || act == LEAKY) {
            for (idx k = 0; k < n_in * batch; k++) {
                REAL other = act == RELU ? (REAL)0 : slope * a[k];
                a[k] = other > a[k] ? other : a[k];
            }
        }
        const REAL *w = params + offsets[i];
        for (idx o = 0; o < n_out; o++) {
            REAL *z = h + (rows[i] + o) * batch;
            const REAL *wo = w + o * (n_in + 1);
            for (idx s = 0; s < batch; s++) z[s] = wo[n_in];
            for (idx j = 0; j < n_in; j++) {
                REAL wj = wo[j];
                const REAL *aj = a + j * batch;
                for (idx s = 0; s < batch; s++) z[s] += wj * aj[s];
            }
        }
    }
}

/* Softmax minus the one-hot labels into d's output rows, then, from the last layer down to
 * layer 1, each layer's [kernel | bias] gradient into `grad` and the loss gradient of its
 * inputs (times the activation's derivative, from its output) into d. `onehot` has `ldo`
 * values a row; ht (batch x widest + 1) and dt (batch x widest) are scratch. */
KERNEL void NAME(backward)(const REAL *params, REAL *grad, const int64_t *offsets,
                           const int64_t *rows, const int64_t *sizes, idx layers, int act,
                           REAL slope, const REAL *h, REAL *d, idx batch, const REAL *onehot,
                           idx ldo, REAL *ht, idx ldht, REAL *dt, idx lddt) {
    const REAL zero = 0, one = 1;
    idx last = layers, classes = sizes[last];
    const REAL *z = h + rows[last - 1] * batch;
    REAL *dz = d + rows[last - 1] * batch;
    for (idx s = 0; s < batch; s++) {
        REAL top = z[s];
        for (idx c = 1; c < classes; c++) top = z[c * batch + s] > top ? z[c * batch + s] : top;
        REAL total = zero;
        for (idx c = 0; c < classes; c++) {
            REAL e = EXP(z[c * batch + s] - top);
            dz[c * batch + s] = e;
            total += e;
        }
        for (idx c = 0; c < classes; c++)
            dz[c * batch + s] = dz[c * batch + s] / total - onehot[c * ldo + s];
    }
    for (idx i = last - 1; i > 0; i--) {
        idx n_in = sizes[i], n_out = sizes[i + 1];
        const REAL *a = h + rows[i - 1] * batch;
        REAL *da = d + rows[i - 1] * batch;
        const REAL *dout = d + rows[i] * batch;
        for (idx s = 0; s < batch; s++) {
            for (idx j = 0; j < n_in; j++) ht[s * ldht + j] = a[j * batch + s];
            ht[s * ldht + n_in] = one;
            for (idx o = 0; o < n_out; o++) dt[s * lddt + o] = dout[o * batch + s];
        }
        idx cols = n_in + 1;
        REAL *g = grad + offsets[i];
        const REAL *w = params + offsets[i];
        for (idx k = 0; k < n_out * cols; k++) g[k] = zero;
        for (idx s = 0; s < batch; s++) {
            const REAL *hs = ht + s * ldht;
            for (idx o = 0; o < n_out; o++) {
                REAL *go = g + o * cols, dso = dt[s * lddt + o];
                for (idx j = 0; j < cols; j++) go[j] += dso * hs[j];
            }
        }
        for (idx j = 0; j < n_in; j++) {
            REAL *dj = da + j * batch;
            const REAL *aj = a + j * batch;
            for (idx s = 0; s < batch; s++) dj[s] = zero;
            for (idx o = 0; o < n_out; o++) {
                REAL wo = w[o * cols + j];
                const REAL *dso = dout + o * batch;
                for (idx s = 0; s < batch; s++) dj[s] += wo * dso[s];
            }
            for (idx s = 0; s < batch; s++) {
                if (act == RELU) dj[s] *= aj[s] > 0 ? one : zero;
                else if (act == LEAKY) dj[s] *= aj[s] > 0 ? one : slope;
                else if (act == TANH) dj[s] *= one - aj[s] * aj[s];
                else dj[s] *= (one - aj[s]) * aj[s];
            }
        }
    }
}

/* The logistic sigmoid in place: 1 / (1 + exp(-x)), as scipy.special.expit computes it. */
KERNEL void NAME(sigmoid)(REAL *x, idx n) {
    for (idx k = 0; k < n; k++) x[k] = (REAL)1 / ((REAL)1 + EXP(-x[k]));
}
