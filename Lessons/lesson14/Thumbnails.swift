// Project 3 of lesson 14: a batch of thumbnails made from PPM image files.

import ConcurrentFutures
import LessonSupport

/// An RGB image, 8 bits per channel.
struct Image {
    var width: Int
    var height: Int
    var pixels: [UInt8]
}

struct ImageFormatError: Error, CustomStringConvertible {
    let description: String
}

/// Encodes an image as binary PPM (P6): a short text header, then the raw RGB bytes.
func ppm(_ image: Image) -> [UInt8] {
    Array("P6\n\(image.width) \(image.height)\n255\n".utf8) + image.pixels
}

/// Decodes a binary PPM file with 8-bit channels.
func decodePPM(_ bytes: [UInt8]) throws -> Image {
    var fields: [String] = []
    var index = 0
    while fields.count < 4 && index < bytes.count {
        while index < bytes.count && [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        let start = index
        while index < bytes.count && ![0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        fields.append(String(decoding: bytes[start..<index], as: UTF8.self))
    }
    index += 1  // the single whitespace byte after the header
    guard fields.count == 4, fields[0] == "P6", let width = Int(fields[1]), let height = Int(fields[2]), fields[3] == "255",
          bytes.count - index == width * height * 3
    else { throw ImageFormatError(description: "not an 8-bit binary PPM") }
    return Image(width: width, height: height, pixels: Array(bytes[index...]))
}

/// A test picture: a colour gradient with a bright disc, different for each `number`.
func testPicture(number: Int, width: Int, height: Int) -> Image {
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    let centreX = width * (1 + number % 5) / 6
    let centreY = height * (1 + number % 3) / 4
    let radius = height / 4
    for y in 0..<height {
        for x in 0..<width {
            let offset = (y * width + x) * 3
            let dx = x - centreX, dy = y - centreY
            if dx * dx + dy * dy < radius * radius {
                pixels[offset] = 250; pixels[offset + 1] = 240; pixels[offset + 2] = 200
            } else {
                pixels[offset] = UInt8(x * 200 / width)
                pixels[offset + 1] = UInt8(y * 160 / height)
                pixels[offset + 2] = UInt8((number * 40) % 200)
            }
        }
    }
    return Image(width: width, height: height, pixels: pixels)
}

/// Shrinks an image by `factor` in each direction, each new pixel the average of a
/// factor × factor block (a box filter).
func shrink(_ image: Image, by factor: Int) -> Image {
    let width = image.width / factor, height = image.height / factor
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    let area = factor * factor
    for y in 0..<height {
        for x in 0..<width {
            var sums = (0, 0, 0)
            for sy in (y * factor)..<(y * factor + factor) {
                var offset = (sy * image.width + x * factor) * 3
                for _ in 0..<factor {
                    sums.0 += Int(image.pixels[offset])
                    sums.1 += Int(image.pixels[offset + 1])
                    sums.2 += Int(image.pixels[offset + 2])
                    offset += 3
                }
            }
            let target = (y * width + x) * 3
            pixels[target] = UInt8(sums.0 / area)
            pixels[target + 1] = UInt8(sums.1 / area)
            pixels[target + 2] = UInt8(sums.2 / area)
        }
    }
    return Image(width: width, height: height, pixels: pixels)
}

/// Reads one image file, writes its thumbnail into `outputFolder`; returns the bytes read and written.
func makeThumbnail(_ path: String, outputFolder: String, factor: Int) throws -> (read: Int, written: Int) {
    let input = try readFile(path)
    let thumbnail = ppm(shrink(try decodePPM(input), by: factor))
    let name = path.split(separator: "/").last.map(String.init) ?? "image.ppm"
    try writeFile(outputFolder + "/" + name, thumbnail)
    return (input.count, thumbnail.count)
}

/// A picture drawn with characters, darkest to brightest.
func preview(_ image: Image, columns: Int) -> [String] {
    let shades = Array(" .:-=+*#%@")
    let step = max(1, image.width / columns)
    var lines: [String] = []
    for y in stride(from: 0, to: image.height, by: step * 2) {  // characters are twice as tall as wide
        var line = ""
        for x in stride(from: 0, to: image.width, by: step) {
            let offset = (y * image.width + x) * 3
            let brightness = (Int(image.pixels[offset]) * 3 + Int(image.pixels[offset + 1]) * 6 + Int(image.pixels[offset + 2])) / 10
            line.append(shades[brightness * (shades.count - 1) / 255])
        }
        lines.append(line)
    }
    return lines
}


/// Makes a thumbnail of every image on `pool`.
func makeThumbnails(_ paths: [String], into folder: String, factor: Int, on pool: ThreadPoolExecutor) throws -> [(read: Int, written: Int)] {
    // snippet: thumbnails
    let sizes = try Array(pool.map(paths) { path in
        try makeThumbnail(path, outputFolder: folder, factor: factor)
    })
    // snippet end
    return sizes
}
