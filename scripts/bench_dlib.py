#!/usr/bin/env python3
"""dlib's own timings for `facematch bench`, on the same images, in the same run.

Usage: bench_dlib.py REQUEST.json  -> prints one JSON object of medians in milliseconds.
REQUEST: {"models": DIR, "iterations": N, "jpeg": PATH (the 800 px photo),
          "faces": [{"png": PATH, "box": [l, t, r, b]}, ...]}
Exits 3 when dlib or face_recognition cannot be imported (the bench then skips the comparison).
"""
import json
import statistics
import sys
import time

try:
    import dlib
    import face_recognition
except ImportError as error:
    print(json.dumps({"error": str(error)}))
    sys.exit(3)


def median_ms(fn, iterations):
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    request = json.load(open(sys.argv[1]))
    models, n = request["models"], max(1, int(request["iterations"]))
    detector = dlib.cnn_face_detection_model_v1(models + "/mmod_human_face_detector.dat")
    predictor = dlib.shape_predictor(models + "/shape_predictor_5_face_landmarks.dat")
    embedder = dlib.face_recognition_model_v1(models + "/dlib_face_recognition_resnet_model_v1.dat")

    photo = face_recognition.load_image_file(request["jpeg"])
    result = {"dlib_version": dlib.__version__}
    result["decode_800_jpeg"] = median_ms(lambda: face_recognition.load_image_file(request["jpeg"]), n)
    result["detect_800"] = median_ms(lambda: detector(photo, 0), n)

    landmark_times, embed_times = [], []
    for face in request["faces"]:
        image = face_recognition.load_image_file(face["png"])
        rect = dlib.rectangle(*face["box"])
        landmark_times.append(median_ms(lambda: dlib.get_face_chip(image, predictor(image, rect), 150, 0.25), n))
        chip = dlib.get_face_chip(image, predictor(image, rect), 150, 0.25)
        embed_times.append(median_ms(lambda: embedder.compute_face_descriptor(chip), n))
    result["landmarks_chip"] = statistics.median(landmark_times)
    result["embed"] = statistics.median(embed_times)

    def pipeline():
        image = face_recognition.load_image_file(request["jpeg"])
        locations = face_recognition.face_locations(image, model="cnn")
        face_recognition.face_encodings(image, locations)
    result["pipeline_800_jpeg"] = median_ms(pipeline, n)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
