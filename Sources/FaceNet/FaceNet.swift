enum FaceNetPlaceholder {}
