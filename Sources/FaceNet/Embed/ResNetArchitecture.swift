/// dlib's face descriptor network (anet_type of dlib's dnn_face_recognition_ex.cpp, the network
/// in dlib_face_recognition_resnet_model_v1.dat), input to output:
///
///     input_rgb_image_sized<150>            (pixel - mean) / 256, planar RGB
///     con 32 7x7 /2 → affine → relu → max_pool 3x3 /2
///     alevel4: ares 32 ×3      alevel3: ares_down 64, ares 64 ×3
///     alevel2: ares_down 128, ares 128 ×2      alevel1: ares_down 256, ares 256 ×2
///     alevel0: ares_down 256 → avg_pool_everything → fc 128 (no bias) → loss_metric
///
/// ares N:       x → con N 3x3 → affine → relu → con N 3x3 → affine → (+ x) → relu
/// ares_down N:  x → con N 3x3 /2 → affine → relu → con N 3x3 → affine → (+ avg_pool 2x2 /2 of x) → relu
/// dlib pads a stride-1 layer by kernel/2 and a strided one by 0; a sum of tensors of different
/// shapes (ares_down) treats the missing elements as zero.
enum ResNetArchitecture {
    static let inputSize = 150
    static let stemChannels = 32
    static let stemKernel = 7
    static let descriptorSize = 128

    struct Block: Equatable {
        let channels: Int
        let downsample: Bool
    }

    static let blocks: [Block] = [
        .init(channels: 32, downsample: false), .init(channels: 32, downsample: false), .init(channels: 32, downsample: false),
        .init(channels: 64, downsample: true), .init(channels: 64, downsample: false),
        .init(channels: 64, downsample: false), .init(channels: 64, downsample: false),
        .init(channels: 128, downsample: true), .init(channels: 128, downsample: false), .init(channels: 128, downsample: false),
        .init(channels: 256, downsample: true), .init(channels: 256, downsample: false), .init(channels: 256, downsample: false),
        .init(channels: 256, downsample: true),
    ]

    /// One serialized wrapper of dlib's nested network type.
    enum Item: Equatable {
        case conv(out: Int, kernel: Int, stride: Int)
        case affine(channels: Int)
        case relu, maxPool, avgPoolDown, avgPoolAll, addPrev, fc
        /// tag/skip layers: a version number and nothing else.
        case tag, skip

        var isAddLayer: Bool { self != .tag && self != .skip }
    }

    /// The wrappers from the input outwards.
    static var items: [Item] {
        var items: [Item] = [.conv(out: stemChannels, kernel: stemKernel, stride: 2), .affine(channels: stemChannels), .relu, .maxPool]
        for block in blocks {
            let n = block.channels
            items += [.tag, .conv(out: n, kernel: 3, stride: block.downsample ? 2 : 1), .affine(channels: n), .relu,
                      .conv(out: n, kernel: 3, stride: 1), .affine(channels: n)]
            items += block.downsample ? [.tag, .skip, .avgPoolDown, .addPrev, .relu] : [.addPrev, .relu]
        }
        return items + [.avgPoolAll, .fc]
    }
}
