;; Optimiser updates over float32 arrays, four lanes at a time (WebAssembly SIMD).
;;
;; The source of src/engine/train/kernels/optimKernels.ts (scripts/build-wasm.mjs compiles it; a unit
;; test checks the two agree). Arithmetic is float32, operation by operation in the order of PyTorch's
;; torch.optim kernels, and WebAssembly never fuses multiply-adds, so a result is the same on every
;; machine. Pointers are byte offsets into the imported memory, 16-byte aligned; `bytes` is the array
;; length in bytes rounded up to whole lanes. The caller keeps the padding lanes at zero, which every
;; update maps to zero.
(module
  (import "env" "memory" (memory 1))

  ;; torch.optim.SGD, no momentum:  θ ← θ − lr·(g + λθ)
  (func (export "sgd") (param $p i32) (param $g i32) (param $bytes i32) (param $lr f32) (param $wd f32)
    (local $i i32) (local $lrv v128) (local $wdv v128) (local $pv v128)
    (local.set $lrv (f32x4.splat (local.get $lr)))
    (local.set $wdv (f32x4.splat (local.get $wd)))
    (block $done (loop $lanes
      (br_if $done (i32.ge_u (local.get $i) (local.get $bytes)))
      (local.set $pv (v128.load (i32.add (local.get $p) (local.get $i))))
      (v128.store (i32.add (local.get $p) (local.get $i))
        (f32x4.sub (local.get $pv)
          (f32x4.mul (local.get $lrv)
            (f32x4.add (v128.load (i32.add (local.get $g) (local.get $i))) (f32x4.mul (local.get $wdv) (local.get $pv))))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $lanes))))

  ;; torch.optim.SGD with momentum μ (dampening 0):  d ← g + λθ;  b ← μb + d;
  ;; θ ← θ − lr·(d + μb) with Nesterov (nesterov ≠ 0), θ ← θ − lr·b without.
  ;; b starts at zero, so the first step gives PyTorch's b = d exactly.
  (func (export "sgdMomentum") (param $p i32) (param $g i32) (param $b i32) (param $bytes i32)
        (param $lr f32) (param $mu f32) (param $wd f32) (param $nesterov i32)
    (local $i i32) (local $lrv v128) (local $muv v128) (local $wdv v128) (local $pv v128) (local $d v128) (local $bv v128)
    (local.set $lrv (f32x4.splat (local.get $lr)))
    (local.set $muv (f32x4.splat (local.get $mu)))
    (local.set $wdv (f32x4.splat (local.get $wd)))
    (block $done (loop $lanes
      (br_if $done (i32.ge_u (local.get $i) (local.get $bytes)))
      (local.set $pv (v128.load (i32.add (local.get $p) (local.get $i))))
      (local.set $d (f32x4.add (v128.load (i32.add (local.get $g) (local.get $i))) (f32x4.mul (local.get $wdv) (local.get $pv))))
      (local.set $bv (f32x4.add (f32x4.mul (local.get $muv) (v128.load (i32.add (local.get $b) (local.get $i)))) (local.get $d)))
      (v128.store (i32.add (local.get $b) (local.get $i)) (local.get $bv))
      (v128.store (i32.add (local.get $p) (local.get $i))
        (f32x4.sub (local.get $pv)
          (f32x4.mul (local.get $lrv)
            (if (result v128) (local.get $nesterov)
              (then (f32x4.add (local.get $d) (f32x4.mul (local.get $muv) (local.get $bv))))
              (else (local.get $bv))))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $lanes))))

  ;; torch.optim.Adam / AdamW, with the step's scalars computed by the caller:
  ;;   θ' ← θ·decay (AdamW: 1 − lr·λ, Adam: 1);  d ← g + l2·θ (Adam: λ, AdamW: 0)
  ;;   m ← β₁m + (1 − β₁)d;  v ← β₂v + (1 − β₂)d²   (1 − β rounded from float64, as PyTorch's alpha)
  ;;   θ ← θ' − stepSize · m / (√v / √(1 − β₂ᵗ) + ε)
  (func (export "adam") (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $bytes i32)
        (param $l2 f32) (param $decay f32) (param $beta1 f32) (param $oneMinusBeta1 f32) (param $beta2 f32) (param $oneMinusBeta2 f32)
        (param $stepSize f32) (param $bias2Sqrt f32) (param $eps f32)
    (local $i i32) (local $pv v128) (local $d v128) (local $mv v128) (local $vv v128)
    (local $l2v v128) (local $decayv v128) (local $b1 v128) (local $b1c v128) (local $b2 v128) (local $b2c v128)
    (local $stepv v128) (local $bias2v v128) (local $epsv v128)
    (local.set $l2v (f32x4.splat (local.get $l2)))
    (local.set $decayv (f32x4.splat (local.get $decay)))
    (local.set $b1 (f32x4.splat (local.get $beta1)))
    (local.set $b1c (f32x4.splat (local.get $oneMinusBeta1)))
    (local.set $b2 (f32x4.splat (local.get $beta2)))
    (local.set $b2c (f32x4.splat (local.get $oneMinusBeta2)))
    (local.set $stepv (f32x4.splat (local.get $stepSize)))
    (local.set $bias2v (f32x4.splat (local.get $bias2Sqrt)))
    (local.set $epsv (f32x4.splat (local.get $eps)))
    (block $done (loop $lanes
      (br_if $done (i32.ge_u (local.get $i) (local.get $bytes)))
      (local.set $pv (v128.load (i32.add (local.get $p) (local.get $i))))
      (local.set $d (f32x4.add (v128.load (i32.add (local.get $g) (local.get $i))) (f32x4.mul (local.get $l2v) (local.get $pv))))
      (local.set $mv (f32x4.add (f32x4.mul (local.get $b1) (v128.load (i32.add (local.get $m) (local.get $i))))
                                (f32x4.mul (local.get $b1c) (local.get $d))))
      (local.set $vv (f32x4.add (f32x4.mul (local.get $b2) (v128.load (i32.add (local.get $v) (local.get $i))))
                                (f32x4.mul (f32x4.mul (local.get $b2c) (local.get $d)) (local.get $d))))
      (v128.store (i32.add (local.get $m) (local.get $i)) (local.get $mv))
      (v128.store (i32.add (local.get $v) (local.get $i)) (local.get $vv))
      (v128.store (i32.add (local.get $p) (local.get $i))
        (f32x4.sub (f32x4.mul (local.get $pv) (local.get $decayv))
          (f32x4.mul (local.get $stepv)
            (f32x4.div (local.get $mv)
              (f32x4.add (f32x4.div (f32x4.sqrt (local.get $vv)) (local.get $bias2v)) (local.get $epsv))))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $lanes))))
)
