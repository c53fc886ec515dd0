// The check runner of exercise 14a: `swift run workbook check 14a` builds and starts it.
import Exercise14a
import WorkbookChecks

WorkbookRunner.main(Check14a.self, .init(countWords: { folder, maxWorkers, readFile in
    try countWords(inFolder: folder, maxWorkers: maxWorkers, readFile: readFile)
}))
