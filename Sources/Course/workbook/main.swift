// `swift run workbook`: the learner's loop (check, watch, hints, reset, solutions) and the
// teacher's view (report, class). Everything is in the WorkbookTool library, where it is tested.
import WorkbookTool

WorkbookTool.main()
