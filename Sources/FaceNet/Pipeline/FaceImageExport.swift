// Callers of the pipeline get its image types (RGBImage, ImageDecoder, DecodeLimits) with
// `import FaceNet`; decoding itself lives in FaceImage, outside FaceNet's -Ounchecked build.
@_exported import FaceImage
