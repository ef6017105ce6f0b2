; Included by electron-builder's NSIS installer (electron-builder.yml: nsis.include).
; Registers "Open with Digit Studio" for data files and pictures WITHOUT making Digit Studio their
; default app: only OpenWithProgids entries and an Applications\ entry are written, never the
; extension's default value. Everything is removed again on uninstall (the user's data is not).

!define DS_PROGID "DigitStudio.File"
!define DS_APPKEY "Software\Classes\Applications\${APP_EXECUTABLE_FILENAME}"

!macro DigitStudioOpenWith EXT
  WriteRegNone SHELL_CONTEXT "Software\Classes\.${EXT}\OpenWithProgids" "${DS_PROGID}"
  WriteRegStr SHELL_CONTEXT "${DS_APPKEY}\SupportedTypes" ".${EXT}" ""
!macroend

!macro DigitStudioNoOpenWith EXT
  DeleteRegValue SHELL_CONTEXT "Software\Classes\.${EXT}\OpenWithProgids" "${DS_PROGID}"
!macroend

!macro DigitStudioForEachType MACRO
  !insertmacro ${MACRO} "csv"
  !insertmacro ${MACRO} "zip"
  !insertmacro ${MACRO} "png"
  !insertmacro ${MACRO} "jpg"
  !insertmacro ${MACRO} "jpeg"
  !insertmacro ${MACRO} "bmp"
  !insertmacro ${MACRO} "gif"
  !insertmacro ${MACRO} "webp"
  !insertmacro ${MACRO} "tif"
  !insertmacro ${MACRO} "tiff"
!macroend

!macro customInstall
  WriteRegStr SHELL_CONTEXT "Software\Classes\${DS_PROGID}" "" "Digit Studio data or picture"
  WriteRegStr SHELL_CONTEXT "Software\Classes\${DS_PROGID}\DefaultIcon" "" "$appExe,0"
  WriteRegStr SHELL_CONTEXT "Software\Classes\${DS_PROGID}\shell\open" "" "Open with Digit Studio"
  WriteRegStr SHELL_CONTEXT "Software\Classes\${DS_PROGID}\shell\open\command" "" '"$appExe" "%1"'
  WriteRegStr SHELL_CONTEXT "${DS_APPKEY}" "FriendlyAppName" "Digit Studio"
  WriteRegStr SHELL_CONTEXT "${DS_APPKEY}\shell\open\command" "" '"$appExe" "%1"'
  !insertmacro DigitStudioForEachType DigitStudioOpenWith
  ; Tell Explorer the associations changed (SHCNE_ASSOCCHANGED).
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
!macroend

!macro customUnInstall
  !insertmacro DigitStudioForEachType DigitStudioNoOpenWith
  DeleteRegKey SHELL_CONTEXT "Software\Classes\${DS_PROGID}"
  DeleteRegKey SHELL_CONTEXT "${DS_APPKEY}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
!macroend
