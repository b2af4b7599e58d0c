/// Readers for the pieces of dlib's DNN serialization (dlib/dnn/core.h, layers.h, cuda/tensor.h)
/// shared by every dlib network we load (the face ResNet and the MMOD detector).
///
/// Bytes, in dlib's integer/float encoding (see `DlibDeserializer`):
/// - tensor: int version (2), int64 num_samples, k, nr, nc, then num_samples*k*nr*nc raw 4-byte
///   little-endian IEEE floats (NOT the mantissa/exponent float encoding).
/// - alias_tensor: int version (1), int64 num_samples, k, nr, nc (a view into a params tensor).
/// - con_ ("con_4"/"con_5"): params tensor (filters, then biases), long num_filters, long nr, nc,
///   int stride_y, stride_x, padding_y, padding_x, alias filters, alias biases, four doubles
///   (learning-rate/weight-decay multipliers), and for con_5 a bool use_bias.
/// - affine_ ("affine_"/"affine_2"): params tensor (gamma then beta), alias gamma, alias beta,
///   int mode (0 = per channel), and for affine_2 a bool disabled.
/// - max_pool_2 / avg_pool_2: long nr, nc, int stride_y, stride_x, padding_y, padding_x.
/// - add_layer tail after its details: bool ×3, tensor x_grad, tensor cached_output, then
///   (add_layer version 2) tensor params_grad, or for the layer sitting on the input
///   (version 2/3) tensor grad_final and (version 3) unsigned sample_expansion_factor.
struct DlibTensor: Sendable {
    /// num_samples, k, nr, nc.
    let dims: [Int]
    let values: [Float]
}

/// A convolution exactly as stored: filters [num_filters][k][nr][nc], one bias per filter.
struct DlibConvLayer: Sendable {
    let spec: ConvSpec
    let filters: [Float]
    let biases: [Float]
}

/// Per-channel y = gamma * x + beta (dlib's affine_, batch norm frozen at inference).
struct DlibAffineLayer: Sendable {
    let gamma: [Float]
    let beta: [Float]
}

struct DlibPoolLayer: Sendable, Equatable {
    let windowHeight, windowWidth, strideY, strideX, padY, padX: Int
}

extension DlibDeserializer {
    /// Elements a tensor may hold; far above any dlib model, low enough to refuse absurd sizes.
    static let tensorLimit = 1 << 27

    mutating func readDims(count: Int = 4) throws -> [Int] {
        var dims: [Int] = []
        for _ in 0..<count {
            let start = offset
            let value = try readInt()
            guard value >= 0, value <= Int64(Self.tensorLimit) else {
                throw DlibModelError.malformed("tensor dimension \(value)", at: start)
            }
            dims.append(Int(value))
        }
        return dims
    }

    static func elementCount(_ dims: [Int], at offset: Int) throws -> Int {
        var count = 1
        for d in dims {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, product <= tensorLimit else {
                throw DlibModelError.malformed("tensor of \(dims) elements too large", at: offset)
            }
            count = product
        }
        return count
    }

    mutating func readTensor() throws -> DlibTensor {
        let start = offset
        let version = try readInt32()
        guard version == 2 else { throw DlibModelError.malformed("tensor version \(version)", at: start) }
        let dims = try readDims()
        let count = try Self.elementCount(dims, at: start)
        let raw = try readRaw(count: count * 4)
        let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            raw.withUnsafeBytes { bytes in
                for i in 0..<count {
                    buffer[i] = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                }
            }
            initialized = count
        }
        return DlibTensor(dims: dims, values: values)
    }

    /// Reads past a tensor (training state such as gradients) without keeping it.
    mutating func skipTensor() throws {
        let start = offset
        let version = try readInt32()
        guard version == 2 else { throw DlibModelError.malformed("tensor version \(version)", at: start) }
        let count = try Self.elementCount(try readDims(), at: start)
        _ = try readRaw(count: count * 4)
    }

    mutating func readAliasTensor() throws -> [Int] {
        let start = offset
        let version = try readInt32()
        guard version == 1 else { throw DlibModelError.malformed("alias_tensor version \(version)", at: start) }
        return try readDims()
    }

    mutating func readConvLayer() throws -> DlibConvLayer {
        let start = offset
        let version = try readString()
        guard version == "con_4" || version == "con_5" else {
            throw DlibModelError.malformed("expected con_4/con_5, found \"\(version)\"", at: start)
        }
        let params = try readTensor()
        let numFilters = Int(try readInt()), nr = Int(try readInt()), nc = Int(try readInt())
        let strideY = Int(try readInt32()), strideX = Int(try readInt32())
        let padY = Int(try readInt32()), padX = Int(try readInt32())
        let filterDims = try readAliasTensor()
        let biasDims = try readAliasTensor()
        for _ in 0..<4 { _ = try readDouble() }
        let useBias = version == "con_5" ? try readBool() : true
        guard filterDims.count == 4, filterDims[0] == numFilters, filterDims[2] == nr, filterDims[3] == nc,
              numFilters > 0, filterDims[1] > 0, nr > 0, nc > 0, strideY > 0, strideX > 0, padY >= 0, padX >= 0 else {
            throw DlibModelError.malformed("inconsistent con_ layer: \(numFilters) filters, alias \(filterDims), \(nr)x\(nc)", at: start)
        }
        let spec = ConvSpec(outChannels: numFilters, inChannels: filterDims[1], kernelHeight: nr, kernelWidth: nc,
                            strideY: strideY, strideX: strideX, padY: padY, padX: padX)
        let biasCount = useBias ? numFilters : 0
        guard params.values.count == spec.weightCount + biasCount,
              !useBias || Self.elementCount(biasDims) == numFilters else {
            throw DlibModelError.malformed("con_ params hold \(params.values.count) values, expected \(spec.weightCount + biasCount)", at: start)
        }
        let biases = useBias ? Array(params.values[spec.weightCount...]) : [Float](repeating: 0, count: numFilters)
        return DlibConvLayer(spec: spec, filters: Array(params.values[..<spec.weightCount]), biases: biases)
    }

    /// Reads an affine_ layer with `channels` per-channel scales; a disabled layer reads as identity.
    mutating func readAffineLayer(channels: Int) throws -> DlibAffineLayer {
        let start = offset
        let version = try readString()
        guard version == "affine_" || version == "affine_2" else {
            throw DlibModelError.malformed("expected affine_, found \"\(version)\"", at: start)
        }
        let params = try readTensor()
        let gammaDims = try readAliasTensor()
        let betaDims = try readAliasTensor()
        let mode = try readInt32()
        let disabled = version == "affine_2" ? try readBool() : false
        guard mode == 0, Self.elementCount(gammaDims) == channels, Self.elementCount(betaDims) == channels else {
            throw DlibModelError.malformed("affine_ mode \(mode) gamma \(gammaDims) for \(channels) channels", at: start)
        }
        if disabled { return DlibAffineLayer(gamma: .init(repeating: 1, count: channels), beta: .init(repeating: 0, count: channels)) }
        guard params.values.count == 2 * channels else {
            throw DlibModelError.malformed("affine_ params hold \(params.values.count) values, expected \(2 * channels)", at: start)
        }
        return DlibAffineLayer(gamma: Array(params.values[..<channels]), beta: Array(params.values[channels...]))
    }

    /// Reads "max_pool_2" or "avg_pool_2" (whichever `name` says).
    mutating func readPoolLayer(_ name: String) throws -> DlibPoolLayer {
        try expectString(name)
        let nr = Int(try readInt()), nc = Int(try readInt())
        let sy = Int(try readInt32()), sx = Int(try readInt32())
        let py = Int(try readInt32()), px = Int(try readInt32())
        return DlibPoolLayer(windowHeight: nr, windowWidth: nc, strideY: sy, strideX: sx, padY: py, padX: px)
    }

    /// Reads the training bookkeeping an add_layer writes after its layer details.
    mutating func skipAddLayerTail(version: Int32, onInput: Bool) throws {
        for _ in 0..<3 { _ = try readBool() }
        try skipTensor()
        try skipTensor()
        if onInput {
            try skipTensor()
            if version >= 3 { _ = try readUInt() }
        } else if version >= 2 {
            try skipTensor()
        }
    }

    /// Product of `dims`, or -1 when it overflows (never equal to a real count).
    private static func elementCount(_ dims: [Int]) -> Int {
        var count = 1
        for d in dims {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            if overflow { return -1 }
            count = product
        }
        return count
    }
}
