import SwerexRunCommand

await SwerexRun.main()
