/// Parses dlib's `mmod_human_face_detector.dat`: the serialized network
/// `loss_mmod<con<1,9,9,1,1, rcon5<rcon5<rcon5<downsampler<input_rgb_image_pyramid<pyramid_down<6>>>>>>>>`
/// (dlib/dnn/core.h, layers.h, loss.h, input.h). Integers, floats, strings: see DlibDeserializer.
///
/// Byte layout:
///   int 1 (add_loss_layer version); string "loss_mmod_"; mmod_options (see MMODOptions.read);
///   the network, outermost layer first, each add_layer writing its sub-network before itself, so:
///     19 ints: versions of the 18 computational add_layers (1|2), outermost first, then the
///       input add_layer's version (2|3);
///     input layer: string "input_rgb_image_pyramid" (defaults padding 10, outer padding 11) or
///       "input_rgb_image_pyramid2"; float avg_red, avg_green, avg_blue; v2: ulong padding, outer padding;
///     then the layers innermost first, each: layer details; bool x3 (setup called, gradient stale,
///       output disabled); tensor x_grad; tensor cached_output; then tensor grad_final and (v3)
///       uint sample_expansion_factor for the input add_layer, or (v2) tensor params_grad for the others.
///   Layer details:
///     con_4|con_5: tensor params (filters then biases); long num_filters, nr, nc; int stride_y,
///       stride_x, padding_y, padding_x; alias_tensor filters, biases; double x4 (learning-rate and
///       weight-decay multipliers); con_5: bool use_bias.
///     bn_con2: tensor params (gamma then beta); alias_tensor gamma, beta; tensor means, invstds,
///       running_means, running_variances; ulong num_updates, running_stats_window_size;
///       double x4 multipliers; double eps.
///     affine_|affine_2: tensor params (gamma then beta); alias_tensor gamma, beta; int mode
///       (0 = per channel); affine_2: bool disabled.
///     relu_: nothing more.
struct DetectorModelReader {
    struct Parsed {
        let options: MMODOptions
        let input: PyramidInputSettings
        let layers: [DetectorConvLayer]
    }

    static func parse(_ bytes: [UInt8]) throws -> Parsed {
        var reader = DlibDeserializer(bytes: bytes)
        try expectVersion(&reader, in: 1...1, what: "add_loss_layer")
        try reader.expectString("loss_mmod_")
        let options = try MMODOptions.read(from: &reader)
        guard !options.useBoundingBoxRegression else {
            throw DlibModelError.unexpectedArchitecture("bounding box regression is not supported")
        }

        let architecture = DetectorArchitecture.faceDetector
        // conv+affine+relu per stage, the last stage a bare conv; the first conv lives in the input add_layer.
        let computationalLayers = architecture.count * 3 - 2 - 1
        var layerVersions: [Int32] = []
        for _ in 0..<computationalLayers {
            layerVersions.append(try expectVersion(&reader, in: 1...2, what: "add_layer"))
        }
        let inputVersion = try expectVersion(&reader, in: 2...3, what: "input add_layer")
        let input = try PyramidInputSettings.read(from: &reader)

        var layers: [DetectorConvLayer] = []
        var channels = 3
        var layerIndex = 0
        for (index, expected) in architecture.enumerated() {
            var conv = try readConv(&reader, inChannels: channels, expected: expected, index: index)
            try skipTrainingState(&reader, layerIndex: layerIndex, inputVersion: inputVersion, versions: layerVersions)
            layerIndex += 1
            if expected.relu {
                let affine = try readAffine(&reader, channels: conv.outChannels)
                try skipTrainingState(&reader, layerIndex: layerIndex, inputVersion: inputVersion, versions: layerVersions)
                layerIndex += 1
                try reader.expectString("relu_")
                try skipTrainingState(&reader, layerIndex: layerIndex, inputVersion: inputVersion, versions: layerVersions)
                layerIndex += 1
                conv = fold(conv, affine)
            }
            layers.append(conv)
            channels = conv.outChannels
        }
        guard channels == options.detectorWindows.count else {
            throw DlibModelError.unexpectedArchitecture(
                "final layer has \(channels) maps for \(options.detectorWindows.count) detector windows")
        }
        guard reader.isAtEnd else {
            throw DlibModelError.malformed("\(reader.remaining) unexpected trailing bytes", at: reader.offset)
        }
        return Parsed(options: options, input: input, layers: layers)
    }

    @discardableResult
    private static func expectVersion(_ reader: inout DlibDeserializer, in range: ClosedRange<Int32>, what: String) throws -> Int32 {
        let start = reader.offset
        let version = try reader.readInt32()
        guard range.contains(version) else { throw DlibModelError.malformed("\(what) version \(version)", at: start) }
        return version
    }

    /// The add_layer bookkeeping after each layer's details; `layerIndex` 0 is the input add_layer.
    private static func skipTrainingState(
        _ reader: inout DlibDeserializer, layerIndex: Int, inputVersion: Int32, versions: [Int32]
    ) throws {
        for _ in 0..<3 { _ = try reader.readBool() }
        try reader.skipTensor()
        try reader.skipTensor()
        if layerIndex == 0 {
            try reader.skipTensor()
            if inputVersion >= 3 { _ = try reader.readUInt() }
        } else if versions[versions.count - layerIndex] == 2 {
            try reader.skipTensor()
        }
    }

    private static func readConv(
        _ reader: inout DlibDeserializer, inChannels: Int, expected: DetectorArchitecture.Conv, index: Int
    ) throws -> DetectorConvLayer {
        let start = reader.offset
        let name = try reader.readString(limit: 64)
        guard name == "con_4" || name == "con_5" else {
            throw DlibModelError.unexpectedArchitecture("layer \(index): expected a convolution, found \"\(name)\"")
        }
        let params = try reader.readTensor().values
        let filters = try readSmallInt(&reader)
        let rows = try readSmallInt(&reader)
        let columns = try readSmallInt(&reader)
        let strideY = try readSmallInt(&reader)
        let strideX = try readSmallInt(&reader)
        let paddingY = try readSmallInt(&reader)
        let paddingX = try readSmallInt(&reader)
        let filterShape = try reader.readAliasTensor()
        _ = try reader.readAliasTensor()
        for _ in 0..<4 { _ = try reader.readDouble() }
        let useBias = name == "con_5" ? try reader.readBool() : true

        let found = DetectorArchitecture.Conv(filters: filters, kernel: rows, stride: strideY, padding: paddingY, relu: expected.relu)
        guard found == expected, columns == rows, strideX == strideY, paddingX == paddingY else {
            throw DlibModelError.unexpectedArchitecture(
                "layer \(index): con \(filters) filters \(rows)x\(columns) stride \(strideY),\(strideX) padding \(paddingY),\(paddingX); expected \(expected)")
        }
        let weightCount = filters * inChannels * rows * columns
        guard filterShape == [filters, inChannels, rows, columns],
              params.count == weightCount + (useBias ? filters : 0) else {
            throw DlibModelError.malformed(
                "layer \(index): \(params.count) parameters for filters \(filterShape) on \(inChannels) inputs", at: start)
        }
        return DetectorConvLayer(
            inChannels: inChannels, outChannels: filters, kernel: rows, stride: strideY, padding: paddingY,
            relu: expected.relu, weights: Array(params[0..<weightCount]),
            bias: useBias ? Array(params[weightCount...]) : [Float](repeating: 0, count: filters))
    }

    /// Per-channel scale and shift of an affine layer, or of a batch-norm layer as dlib converts it
    /// (gamma / sqrt(running variance + eps), beta - scale * running mean).
    private static func readAffine(_ reader: inout DlibDeserializer, channels: Int) throws -> (scale: [Float], shift: [Float]) {
        let start = reader.offset
        let name = try reader.readString(limit: 64)
        switch name {
        case "bn_con2":
            let params = try reader.readTensor().values
            _ = try reader.readAliasTensor()
            _ = try reader.readAliasTensor()
            try reader.skipTensor()
            try reader.skipTensor()
            let means = try reader.readTensor().values
            let variances = try reader.readTensor().values
            _ = try reader.readUInt()
            _ = try reader.readUInt()
            for _ in 0..<4 { _ = try reader.readDouble() }
            let eps = try reader.readDouble()
            guard params.count == 2 * channels, means.count == channels, variances.count == channels,
                  eps.isFinite, eps >= 0 else {
                throw DlibModelError.malformed("bn_con2 sizes do not match \(channels) channels", at: start)
            }
            var scale = [Float](repeating: 0, count: channels)
            var shift = [Float](repeating: 0, count: channels)
            for c in 0..<channels {
                scale[c] = params[c] / (variances[c] + Float(eps)).squareRoot()
                shift[c] = params[channels + c] - scale[c] * means[c]
            }
            return (scale, shift)
        case "affine_", "affine_2":
            let params = try reader.readTensor().values
            _ = try reader.readAliasTensor()
            _ = try reader.readAliasTensor()
            let mode = try reader.readInt32()
            let disabled = name == "affine_2" ? try reader.readBool() : false
            if disabled {
                return ([Float](repeating: 1, count: channels), [Float](repeating: 0, count: channels))
            }
            guard mode == 0, params.count == 2 * channels else {
                throw DlibModelError.malformed("affine mode \(mode) with \(params.count) parameters for \(channels) channels", at: start)
            }
            return (Array(params[0..<channels]), Array(params[channels...]))
        default:
            throw DlibModelError.unexpectedArchitecture("expected bn_con2 or affine_, found \"\(name)\"")
        }
    }

    private static func fold(_ conv: DetectorConvLayer, _ affine: (scale: [Float], shift: [Float])) -> DetectorConvLayer {
        let perFilter = conv.inChannels * conv.kernel * conv.kernel
        var weights = conv.weights
        var bias = conv.bias
        for o in 0..<conv.outChannels {
            let scale = affine.scale[o]
            for i in (o * perFilter)..<((o + 1) * perFilter) { weights[i] *= scale }
            bias[o] = bias[o] * scale + affine.shift[o]
        }
        return DetectorConvLayer(
            inChannels: conv.inChannels, outChannels: conv.outChannels, kernel: conv.kernel, stride: conv.stride,
            padding: conv.padding, relu: conv.relu, weights: weights, bias: bias)
    }

    private static func readSmallInt(_ reader: inout DlibDeserializer) throws -> Int {
        let start = reader.offset
        let value = try reader.readInt()
        guard (0...100_000).contains(value) else { throw DlibModelError.malformed("layer size \(value)", at: start) }
        return Int(value)
    }
}
