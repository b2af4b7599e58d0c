#!/usr/bin/env python3
"""Reference outputs of the second model family, from its reference runtimes.

For every image NAME of Tests/Fixtures/faces, on its working image Tests/Fixtures/reference/NAME.png
(upright, longer side at most 800 px: the exact input our pipeline computes from the original):
  - OpenCV's FaceDetectorYN (YuNet 2023mar) at the image's own size, score >= 0.5, NMS IoU 0.3:
    every face as box x, y, w, h, five landmarks, score;
  - for the largest face: the 128x128 crop aligned by the least-squares similarity of its five
    landmarks onto face-reidentification-retail-0095's reference points (cv2.warpAffine, bilinear,
    black border), saved as Tests/Fixtures/model2/NAME_crop.png, and its embedding by OpenVINO
    in f32 (INFERENCE_PRECISION_HINT=f32) from that crop.
index.json: cosine similarity of every pair of largest faces.
Usage: pip install openvino opencv-python-headless; scripts/make-model-references.py [models dir]
"""
import json, os, sys, itertools
import numpy as np
import cv2
import openvino as ov

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
models = sys.argv[1] if len(sys.argv) > 1 else os.path.join(repo, "models")
fixtures = os.path.join(repo, "Tests", "Fixtures")
out_dir = os.path.join(fixtures, "model2")
os.makedirs(out_dir, exist_ok=True)

REFERENCE = np.array([(0.31556875, 0.46157411), (0.68262292, 0.46157411), (0.50026250, 0.64050536),
                      (0.34947188, 0.82469196), (0.65343646, 0.82469196)]) * 128.0


def similarity(src, dst):
    """Umeyama's least-squares similarity in its 2-D closed form (as AffineTransform.similarity)."""
    ms, md = src.mean(0), dst.mean(0)
    a, b = src - ms, dst - md
    sigma = (a * a).sum()
    dot = (a * b).sum()
    cross = (a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]).sum()
    p, q = (dot / sigma, cross / sigma) if sigma > 0 else (1.0, 0.0)
    return np.array([[p, -q, md[0] - (p * ms[0] - q * ms[1])],
                     [q, p, md[1] - (q * ms[0] + p * ms[1])]])


def main():
    detector = cv2.FaceDetectorYN.create(os.path.join(models, "yunet", "face_detection_yunet_2023mar.onnx"), "", (320, 320),
                                         score_threshold=0.5, nms_threshold=0.3, top_k=5000)
    core = ov.Core()
    xml = os.path.join(models, "face-reidentification-retail-0095", "FP16", "face-reidentification-retail-0095.xml")
    embedder = core.compile_model(core.read_model(xml), "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
    names = sorted(os.path.splitext(f)[0] for f in os.listdir(os.path.join(fixtures, "faces")))
    largest = {}
    for name in names:
        image = cv2.imread(os.path.join(fixtures, "reference", name + ".png"), cv2.IMREAD_COLOR)
        h, w = image.shape[:2]
        detector.setInputSize((w, h))
        _, faces = detector.detect(image)
        faces = [] if faces is None else faces.tolist()
        record = {"image": "reference/%s.png" % name, "width": w, "height": h,
                  "faces": [{"box": f[0:4], "landmarks": f[4:14], "score": f[14]} for f in faces]}
        if faces:
            best = max(faces, key=lambda f: f[2] * f[3])
            M = similarity(np.array(best[4:14]).reshape(5, 2), REFERENCE)
            crop = cv2.warpAffine(image, M, (128, 128), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
            cv2.imwrite(os.path.join(out_dir, name + "_crop.png"), crop)
            blob = crop.transpose(2, 0, 1)[None].astype(np.float32)
            embedding = np.asarray(embedder([blob])[0]).reshape(-1)
            record["largest"] = faces.index(best)
            record["crop"] = "model2/%s_crop.png" % name
            record["embedding_of_crop"] = [float(v) for v in embedding]
            largest[name] = embedding
        with open(os.path.join(out_dir, name + ".json"), "w") as f:
            json.dump(record, f, indent=1)
        print(name, w, h, len(faces), "faces", ["%.3f" % f[14] for f in faces])
    pairs = []
    for a, b in itertools.combinations(sorted(largest), 2):
        x, y = largest[a], largest[b]
        pairs.append({"a": a, "b": b, "cosine": float(np.dot(x, y) / (np.linalg.norm(x) * np.linalg.norm(y)))})
    with open(os.path.join(out_dir, "index.json"), "w") as f:
        json.dump({"opencv": cv2.__version__, "openvino": ov.__version__, "pairs": pairs}, f, indent=1)
    for p in pairs:
        print("%-20s %-20s %.4f" % (p["a"], p["b"], p["cosine"]))


if __name__ == "__main__":
    main()
