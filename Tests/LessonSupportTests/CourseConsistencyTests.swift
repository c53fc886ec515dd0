import Testing

@testable import LessonSupport

/// One exercise of the course index (Sources/Course/WorkbookCourse/CourseExercises.swift), read
/// from its text: this test target does not depend on the workbook's modules.
struct IndexedExercise: Equatable, CustomStringConvertible {
    var id: String
    var lesson: Int
    var title: String
    var description: String { "\(id) \"\(title)\" (lesson \(lesson))" }
}

let courseIndex: [IndexedExercise] = {
    let text = source(repositoryRoot + "/Sources/Course/WorkbookCourse/CourseExercises.swift")
    return captures(#"(id: "[^"]+", lesson: \d+, title: "[^"]+")"#, in: text).map { entry in
        let parts = captures(#"id: "([^"]+)""#, in: entry) + captures(#"lesson: (\d+)"#, in: entry) + captures(#"title: "([^"]+)""#, in: entry)
        return IndexedExercise(id: parts[0], lesson: Int(parts[1])!, title: parts[2])
    }
}()

/// The ids of the exercises lesson `number` announces, in the order it announces them. (Their
/// titles come from the course index itself: see `exercise(id:description:)`.)
func announcedExercises(lesson number: Int) -> [String] {
    let folder = repositoryRoot + "/Lessons/lesson" + (number < 10 ? "0" : "") + "\(number)"
    let text = swiftFiles(in: folder).map(\.text).joined(separator: "\n")
    return captures(#"exercise\(\s*id: "([^"]+)""#, in: text)
}

@Suite("The lessons agree with the course")
struct CourseConsistencyTests {
    @Test("the course index was read: 21 exercises")
    func indexRead() {
        #expect(courseIndex.count == 21, "\(courseIndex)")
    }

    @Test("every exercise is announced by its lesson, and by no other", arguments: 1...15)
    func exercisesAnnounced(lesson: Int) {
        let expected = courseIndex.filter { $0.lesson == lesson }
        let announced = announcedExercises(lesson: lesson)
        #expect(announced.sorted() == expected.map(\.id), "lesson \(lesson) announces \(announced), the index has \(expected.map(\.id))")
    }

    @Test("every lesson declares its sections, and calls section(_:) with exactly those titles, in order",
          arguments: 1...15)
    func sectionsDeclared(lesson: Int) {
        let text = source(repositoryRoot + "/Lessons/lesson" + (lesson < 10 ? "0" : "") + "\(lesson)/main.swift")
        let declaredList = captures(#"sections: \[(.*?)\]"#, in: text).first ?? ""
        let declared = captures(#""([^"]*)""#, in: declaredList)
        let called = captures(#"\bsection\("([^"]*)"\)"#, in: text)
        #expect(!declared.isEmpty, "lesson \(lesson) declares no sections")
        #expect(called == declared, "lesson \(lesson): section() calls \(called), LessonInfo.sections \(declared)")
    }

    @Test("every lesson's notes link the glossary", arguments: 1...15)
    func glossaryLinked(lesson: Int) {
        let notes = source(repositoryRoot + "/Lessons/lesson" + (lesson < 10 ? "0" : "") + "\(lesson)/README.md")
        #expect(notes.contains("](../GLOSSARY.md"), "lesson \(lesson)'s README.md does not link ../GLOSSARY.md")
    }

    @Test("the glossary defines the words the course leans on")
    func glossaryWords() {
        let glossary = source(repositoryRoot + "/Lessons/GLOSSARY.md")
        for word in ["Executor", "Future", "Worker", "GIL", "Chunk", "Back-pressure", "Deadlock", "Callback", "Timeout", "Cancellation"] {
            #expect(glossary.contains("**" + word), "the glossary has no entry for \(word)")
        }
    }
}
