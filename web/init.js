// init.js — starts GOV.UK Frontend's components on every page of improve serve.
// Loaded as a module from /assets/ (the Content-Security-Policy forbids inline script),
// so it also sets the body classes GOV.UK Frontend's template would set inline.
//
// It also shows how far a large upload has gone.  A form marked data-upload-progress="BYTES"
// works without script (an ordinary multipart POST); with script, when the chosen files add up
// to at least BYTES, it is sent with XMLHttpRequest instead, a progress bar and a polite live
// region say how much has been sent, and the server's answer (the checked result, or the form
// with its error summary) replaces the page as a normal submission would.  Anything unusual
// (no FormData, a network error) falls back to the ordinary submission.
import { initAll } from '@GOVUK_FRONTEND_JS@'

function megabytes(n) {
  return (n / 1048576).toFixed(1) + ' MB'
}

function uploadProgress(form) {
  const from = Number(form.getAttribute('data-upload-progress'))
  let sending = false
  form.addEventListener('submit', (event) => {
    if (sending || !window.FormData || !window.XMLHttpRequest || !window.DOMParser) return
    let total = 0
    for (const input of form.querySelectorAll('input[type=file]')) {
      for (const f of input.files || []) total += f.size
    }
    if (!(total >= from)) return
    event.preventDefault()
    sending = true

    const box = document.createElement('div')
    box.className = 'govuk-!-margin-bottom-6'
    const label = document.createElement('p')
    label.className = 'govuk-body govuk-!-margin-bottom-2'
    label.id = 'upload-progress-label'
    label.textContent = 'Uploading ' + megabytes(total)
    const bar = document.createElement('progress')
    bar.max = 100
    bar.value = 0
    bar.setAttribute('aria-labelledby', label.id)
    // Announced politely, in steps of a quarter, so a screen reader is not flooded.
    const live = document.createElement('p')
    live.className = 'govuk-body'
    live.setAttribute('role', 'status')
    live.setAttribute('aria-live', 'polite')
    box.append(label, bar, live)
    form.prepend(box)
    for (const b of form.querySelectorAll('button')) b.disabled = true

    const xhr = new XMLHttpRequest()
    let said = -1
    xhr.upload.addEventListener('progress', (e) => {
      if (!e.lengthComputable) return
      const pct = Math.floor((100 * e.loaded) / e.total)
      bar.value = pct
      const step = Math.floor(pct / 25)
      if (step !== said) {
        said = step
        live.textContent = pct + '% sent (' + megabytes(e.loaded) + ' of ' + megabytes(e.total) + ')'
      }
    })
    xhr.upload.addEventListener('load', () => {
      bar.value = 100
      live.textContent = 'All sent. Checking the files; this can take a minute.'
    })
    xhr.addEventListener('load', () => {
      const doc = new DOMParser().parseFromString(xhr.responseText, 'text/html')
      if (!doc.body || !doc.querySelector('main')) {
        form.submit()
        return
      }
      document.title = doc.title
      document.body.replaceWith(document.adoptNode(doc.body))
      start()
      const focus = document.querySelector('.govuk-error-summary, main h1')
      if (focus) {
        focus.setAttribute('tabindex', '-1')
        focus.focus()
      }
    })
    xhr.addEventListener('error', () => {
      live.textContent = 'The upload was interrupted; sending the form again without progress.'
      form.submit()
    })
    xhr.open('POST', form.action)
    xhr.send(new FormData(form))
  })
}

function start() {
  document.body.classList.add('js-enabled', 'govuk-frontend-supported')
  initAll()
  for (const form of document.querySelectorAll('form[data-upload-progress]')) uploadProgress(form)
}

start()
