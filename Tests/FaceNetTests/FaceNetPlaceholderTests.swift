import XCTest
@testable import FaceNet
