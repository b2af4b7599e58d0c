#!/usr/bin/env python3
"""The reference runtimes' timings for the second model family, for scripts/bench-model2.sh:
OpenCV's FaceDetectorYN on the 800x533 bench photo (1 and 2 threads, and at 640x427) and
OpenVINO f32 align + embed of its largest face on 1 thread. Median and fastest run in ms."""
import os, sys, time
import numpy as np
import cv2
import openvino as ov

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
models = sys.argv[1] if len(sys.argv) > 1 else os.path.join(repo, "models")
iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 30
sys.path.insert(0, os.path.join(repo, "scripts"))
from importlib.machinery import SourceFileLoader
refs = SourceFileLoader("refs", os.path.join(repo, "scripts", "make-model-references.py")).load_module()


def timed_ms(body):
    """Median and fastest of the timed runs (the fastest is the least disturbed on a shared machine)."""
    body()
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        body()
        times.append((time.perf_counter() - start) * 1000)
    return float(np.median(times)), float(np.min(times))


def row(stage, ms):
    print("%-58s %8.2f %8.2f" % (stage, *ms))


photo = cv2.imread(os.path.join(repo, "Tests", "Fixtures", "bench", "two_people_800x533.jpg"))
h, w = photo.shape[:2]
small = cv2.resize(photo, (640, 427), interpolation=cv2.INTER_LINEAR)
detector = cv2.FaceDetectorYN.create(os.path.join(models, "yunet", "face_detection_yunet_2023mar.onnx"), "", (w, h),
                                     score_threshold=0.6, nms_threshold=0.3, top_k=5000)
print("stage (reference runtimes: OpenCV %s, OpenVINO %s)        median ms   min ms" % (cv2.__version__, ov.__version__))
for threads in (1, 2):
    cv2.setNumThreads(threads)
    detector.setInputSize((w, h))
    row("FaceDetectorYN %dx%d, %d thread%s" % (w, h, threads, "s" if threads > 1 else ""), timed_ms(lambda: detector.detect(photo)))
    detector.setInputSize((640, 427))
    row("FaceDetectorYN 640x427, %d thread%s" % (threads, "s" if threads > 1 else ""), timed_ms(lambda: detector.detect(small)))
cv2.setNumThreads(1)
detector.setInputSize((w, h))
faces = detector.detect(photo)[1]
best = max(faces.tolist(), key=lambda f: f[2] * f[3])
core = ov.Core()
xml = os.path.join(models, "face-reidentification-retail-0095", "FP16", "face-reidentification-retail-0095.xml")
embedder = core.compile_model(core.read_model(xml), "CPU", {"INFERENCE_PRECISION_HINT": "f32", "INFERENCE_NUM_THREADS": 1})
request = embedder.create_infer_request()


def align_embed():
    M = refs.similarity(np.array(best[4:14]).reshape(5, 2), refs.REFERENCE)
    crop = cv2.warpAffine(photo, M, (128, 128), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    request.infer([crop.transpose(2, 0, 1)[None].astype(np.float32)])


row("OpenVINO f32 align + embed one face, 1 thread", timed_ms(align_embed))
