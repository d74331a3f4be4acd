;; The art engine's WebAssembly kernel: a Dense layer's dot products in 128-bit SIMD.
;;
;; dense(h, n, w, blocks, out): for each block of four units, the four dot products of the
;; float64 vector h (n values) with the block's weights, stored float64 interleaved as
;; [block][input][4 units] (units padded to a multiple of four with zero weights); the four
;; sums go to out[4 * block .. 4 * block + 3]. Every address is a byte offset into the
;; module's own memory. The engine adds the bias, the activation and the life mask in
;; JavaScript (forward.js), and lays the weights out for this function (kernel.js).
;;
;; Eight running sums (two units each) are in flight: four inputs a turn, each adding into
;; its own pair, hide f64x2.add's latency; a block's sums are added as (s0 + s1) + (s2 + s3).
;; Built by wabt's wat2wasm at `make engine` (tools/build-engine.mjs) and carried inside the
;; engine script as base64.
(module
  (memory (export "memory") 1)
  (func (export "dense")
    (param $h i32) (param $n i32) (param $w i32) (param $blocks i32) (param $out i32)
    (local $p i32)     ;; the read position in h (bytes)
    (local $end4 i32)  ;; where the inputs taken four at a time end
    (local $end i32)   ;; where all the inputs end
    (local $x v128)    ;; h[i] in both lanes
    ;; the running sums: $s<k>a holds units 0-1 and $s<k>b units 2-3 of input k of a turn
    (local $s0a v128) (local $s0b v128) (local $s1a v128) (local $s1b v128)
    (local $s2a v128) (local $s2b v128) (local $s3a v128) (local $s3b v128)
    (block
      (br_if 0 (i32.eqz (local.get $blocks)))  ;; no blocks: done
      (loop  ;; one block of four units a turn
        v128.const i64x2 0 0
        local.tee $s0a
        local.tee $s0b
        local.tee $s1a
        local.tee $s1b
        local.tee $s2a
        local.tee $s2b
        local.tee $s3a
        local.set $s3b
        ;; end4 = h + 8 * (n rounded down to a multiple of 4); end = h + 8 * n
        (local.set $end4
          (i32.add (local.tee $p (local.get $h))
                   (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
        (local.set $end (i32.add (local.get $h) (i32.shl (local.get $n) (i32.const 3))))
        ;; four inputs a turn while at least four are left
        (block
          (br_if 0 (i32.ge_u (local.get $p) (local.get $end4)))
          (loop
            (local.set $x (v128.load64_splat (local.get $p)))
            (local.set $s0a (f64x2.add (local.get $s0a)
              (f64x2.mul (local.get $x) (v128.load (local.get $w)))))
            (local.set $s0b (f64x2.add (local.get $s0b)
              (f64x2.mul (local.get $x) (v128.load offset=16 (local.get $w)))))
            (local.set $x (v128.load64_splat offset=8 (local.get $p)))
            (local.set $s1a (f64x2.add (local.get $s1a)
              (f64x2.mul (local.get $x) (v128.load offset=32 (local.get $w)))))
            (local.set $s1b (f64x2.add (local.get $s1b)
              (f64x2.mul (local.get $x) (v128.load offset=48 (local.get $w)))))
            (local.set $x (v128.load64_splat offset=16 (local.get $p)))
            (local.set $s2a (f64x2.add (local.get $s2a)
              (f64x2.mul (local.get $x) (v128.load offset=64 (local.get $w)))))
            (local.set $s2b (f64x2.add (local.get $s2b)
              (f64x2.mul (local.get $x) (v128.load offset=80 (local.get $w)))))
            (local.set $x (v128.load64_splat offset=24 (local.get $p)))
            (local.set $s3a (f64x2.add (local.get $s3a)
              (f64x2.mul (local.get $x) (v128.load offset=96 (local.get $w)))))
            (local.set $s3b (f64x2.add (local.get $s3b)
              (f64x2.mul (local.get $x) (v128.load offset=112 (local.get $w)))))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))   ;; 4 inputs
            (local.set $w (i32.add (local.get $w) (i32.const 128)))  ;; 4 x 4 weights
            (br_if 0 (i32.lt_u (local.get $p) (local.get $end4)))))
        ;; then the last inputs one at a time
        (block
          (br_if 0 (i32.ge_u (local.get $p) (local.get $end)))
          (loop
            (local.set $x (v128.load64_splat (local.get $p)))
            (local.set $s0a (f64x2.add (local.get $s0a)
              (f64x2.mul (local.get $x) (v128.load (local.get $w)))))
            (local.set $s0b (f64x2.add (local.get $s0b)
              (f64x2.mul (local.get $x) (v128.load offset=16 (local.get $w)))))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (local.set $w (i32.add (local.get $w) (i32.const 32)))
            (br_if 0 (i32.lt_u (local.get $p) (local.get $end)))))
        ;; the block's four sums
        (v128.store (local.get $out)
          (f64x2.add (f64x2.add (local.get $s0a) (local.get $s1a))
                     (f64x2.add (local.get $s2a) (local.get $s3a))))
        (v128.store offset=16 (local.get $out)
          (f64x2.add (f64x2.add (local.get $s0b) (local.get $s1b))
                     (f64x2.add (local.get $s2b) (local.get $s3b))))
        (local.set $out (i32.add (local.get $out) (i32.const 32)))
        (br_if 0 (local.tee $blocks (i32.sub (local.get $blocks) (i32.const 1))))))))
