app-title = Lastmile
lang-label = Language
nav-tour = Tour
nav-stop = Current stop

## connection card (start screen)
conn-checking = Checking the connection…
conn-connected = ● Connected to the sync server
conn-server = Server { $version } ({ $backend })
conn-offline = ● Offline — your work is saved on this device and will be sent later
conn-not_configured = No sync server configured
conn-retry = Check again
device-opening = Opening the local database…
device-label = Device
device-ready = Local database ready (schema { $schema })
device-app = App

## sign-in
signin-title = Sign in
signin-driver_id = Driver ID
signin-pin = PIN
signin-enrolment_code = Enrolment code (new device)
signin-submit = Sign in
signin-busy = Signing in…
signin-mode = I am signing in as
signin-mode-driver = Driver
signin-mode-station = Station tablet
signin-mode-supervisor = Ride-along (supervisor)
signin-lead_id = Station lead ID
signin-supervisor_id = Supervisor ID
signin-signed_in_as = Signed in as { $user }
station-title = Station tablet
ride-title = Ride-along

## tour
tour-title = Your tour
tour-none = No tour on this device yet.
tour-download = Download tour
tour-downloading = Downloading the tour…
tour-progress = { $done } of { $total ->
        [one] { $total } stop done
       *[other] { $total } stops done
    } · { $open ->
        [one] { $open } parcel open
       *[other] { $open } parcels open
    }
tour-station = Station { $name }
tour-start = Go to current stop
tour-finished = All stops done. Well done!
state-open = open
state-arrived = arrived
state-done = done
state-failed = failed
state-skipped = skipped
parcel-pending = to deliver
parcel-delivered = delivered
parcel-failed = not delivered
parcel-picked_up = picked up
parcel-return = Return
parcel-signature = Signature required
parcel-id_check = ID / age check

## stop
stop-title = Stop { $n }
stop-notes = Access notes:
stop-window = Time window: { $window }
stop-parcels = Parcels
stop-deliver = Delivered
stop-fail = Not delivered
stop-next = Next stop
stop-none = No open stop: the tour is done.
stop-loading = Loading the stop…

## deliver dialog
deliver-title = Deliver { $id }
method-recipient = To the recipient
method-neighbour = To a neighbour
method-safe_place = Safe place
method-parcel_shop = Parcel shop
deliver-name = Name of the person
deliver-house_number = Neighbour's house number
deliver-confirm = Confirm delivery
dialog-cancel = Cancel

## fail dialog
fail-title = Not delivered: { $id }
fail-reason = Reason
reason-nobody_home = Nobody home
reason-refused = Refused
reason-damaged = Damaged
reason-address_not_found = Address not found
reason-no_access = No access
reason-business_closed = Business closed
reason-out_of_time = Out of time
fail-card = Notification card number (from your stack)
fail-no_card = No card
fail-says = The card says
says-next_attempt = We will try again
says-pick_up_at_station = Pick up at the station
fail-confirm = Record attempt

## undo
undo-delivered = Recorded: { $id } delivered
undo-failed = Recorded: { $id } not delivered
undo-button = Undo
undo-done = Undone: { $id } is open again
warn-far_from_stop = Recorded far from the stop.
warn-out_of_order = This stop was not next in the plan.
warn-outside_time_window = Outside the time window.

## stop: guidance, scanning, proof, returns (stop screen and its dialogs)
stop-out_of_order = { $n ->
        [one] { $n } stop planned before this one is still open.
       *[other] { $n } stops planned before this one are still open.
    } You can still work here.
stop-arrive = I am here
stop-skip = Skip for now
stop-pick_up = Picked up
guide-no_position = No position yet.
guide-here = You are at the stop.
guide-distance = { $dir ->
        [n] { $d } to the north
        [ne] { $d } to the north-east
        [e] { $d } to the east
        [se] { $d } to the south-east
        [s] { $d } to the south
        [sw] { $d } to the south-west
        [w] { $d } to the west
       *[nw] { $d } to the north-west
    }
guide-eta = There at { $t } · tour ends { $end }
guide-source-gps = GPS
guide-source-simulated = simulated position
guide-navigate = Navigate
guide-opened = Handed to the maps app:
turn-depart = Start
turn-arrive = Arrive
turn-turn = Turn
turn-left = Turn left
turn-right = Turn right
turn-slight_left = Keep slightly left
turn-slight_right = Keep slightly right
turn-sharp_left = Turn sharp left
turn-sharp_right = Turn sharp right
turn-straight = Go straight on
turn-uturn = Make a U-turn
turn-roundabout = Take the roundabout
turn-continue = Continue
turn-new_name = Continue
turn-merge = Merge
turn-fork = Take the fork
turn-end_of_road = At the end of the road
turn-on_ramp = Take the ramp
turn-off_ramp = Take the exit
turn-exit_roundabout = Leave the roundabout
turn-exit_rotary = Leave the roundabout
turn-roundabout_exit = At the roundabout take exit { $n }
turn-with_way = { $what } ({ $way })
way-left = left
way-right = right
way-slight_left = slightly left
way-slight_right = slightly right
way-sharp_left = sharp left
way-sharp_right = sharp right
way-straight = straight on
way-uturn = U-turn
scan-picture = Scan label (camera / picture)
scan-placeholder = or type the tracking number
scan-check = Check
scan-this_stop = { $id } belongs to this stop.
scan-other_stop = { $id } is not for this stop: it belongs to stop { $n }, { $address }.
scan-go_stop = Go to stop { $n }
scan-not_on_tour = { $id } ({ $courier }) is not on today's tour.
scan-take_return = Take it as a return
photo-take = Take or choose a photo
photo-take_optional = Photo (optional)
photo-remove = Remove photo
sign-empty = Sign here with a finger
sign-here = Signed
sign-clear = Clear
deliver-safe_place = Where was it left?
deliver-shop = Parcel shop
deliver-id_checked = I checked the ID / age
fail-card_photo = Photo of the card in the mailbox (optional)
deliver-neighbour_card = Card for the recipient (it names the neighbour):
says-at_parcel_shop = At a parcel shop
pickup-title = Pick up return { $id }
pickup-hint = Take the parcel and check the label.
pickup-confirm = Record pick-up
undo-picked_up = Picked up { $id }.
err-photo-unusable = This picture cannot be used as a photo.
hint-photo-unusable = Take the photo again, or choose a JPEG or PNG picture.
err-scan-nothing_found = No barcode found in the picture.
hint-scan-nothing_found = Hold the camera closer to the label, or type the number.
err-scan-unreadable = The picture cannot be read.
err-tracking-empty = Type a tracking number first.
err-tracking-check_digit = This tracking number is not valid: its check digit does not match.
hint-tracking-check_digit = Compare it with the label digit by digit, or scan it.
err-tracking-unknown_format = This is not a tracking number we know.
hint-tracking-unknown_format = Check the number on the label, or scan it.
err-navigate-failed = No maps app could be opened.
hint-navigate-failed = Use the distance and direction shown here, or open your maps app by hand.
err-rule-photo_required = A photo of the safe place is required.
hint-rule-photo_required = Take a photo of where you left the parcel.
hint-rule-signature_required = Let the recipient sign on the pad.
err-rule-wrong_stop = This parcel belongs to another stop.
err-rule-already_picked_up = This return was already picked up.
err-input-invalid = The entry is not valid.

## sync bar
sync-pending = { $n } to send
sync-all_sent = All sent
sync-bytes = { $kb } KB photos
sync-last = last sync { $time }
sync-never = not synced yet
sync-offline = offline: kept on this device, sent when back
sync-not_signed_in = sign in to send
sync-others_pending = { $n ->
        [one] { $n } record of { $driver } on this device is still being sent
       *[other] { $n } records of { $driver } on this device are still being sent
    }
sync-rejected = { $n ->
        [one] { $n } record refused by the server (kept on this device; the station sees why)
       *[other] { $n } records refused by the server (kept on this device; the station sees why)
    }
sync-now = Sync now
sync-oldest = oldest { $age }
sync-what_waits = What is waiting
age-hm = { $h } h { $m } min
age-m = { $m } min
age-under_minute = < 1 min
waiting-at_stop = stop { $n }
waiting-stop_arrived = Arrived
waiting-parcel_delivered = Delivered
waiting-delivery_failed = Not delivered
waiting-return_picked_up = Return picked up
waiting-stop_skipped = Stop skipped
waiting-outcome_undone = Undone
waiting-outcome_corrected = Correction
waiting-photo = Photo
waiting-signature_image = Signature
waiting-signature_strokes = Signature (strokes)
waiting-card_photo = Card photo

## errors: what happened
err-unknown = Something went wrong.
err-details = Technical details (for support)
err-ui-not_in_app = This page runs outside the Lastmile app.
err-server-unreachable = The server cannot be reached.
err-server-not_configured = No sync server is configured.
err-server-error = The server reported a problem.
err-sync-event_too_large = A record is too large to send; it is kept on this device and the ones after it are sent.
err-auth-bad_credentials = Driver ID or PIN is wrong.
err-auth-bad_enrolment_code = The enrolment code is not valid.
err-auth-enrolment_code_missing = This device is new and needs an enrolment code.
err-auth-not_signed_in = Nobody is signed in.
err-auth-expired = Your sign-in has expired.
err-tour-not_found = There is no tour for you on the server.
err-tour-none = No tour is loaded on this device.
err-tour-invalid = The tour from the server cannot be used.
err-rule-name_missing = The name is missing.
err-rule-house_number_missing = The neighbour's house number is missing.
err-rule-method_not_allowed = This parcel may not be delivered this way.
err-rule-signature_required = This parcel needs a signature.
err-rule-id_check_required = This parcel needs an ID check.
err-rule-card_required = Leave a notification card for this reason.
err-rule-card_contradicts = The card text does not fit what happened.
err-rule-already_delivered = This parcel is already delivered.
err-rule-undo_window_passed = Too late to undo.
err-rule-not_undoable = This can no longer be undone.
err-card-malformed = That is not a card number.
err-card-not_issued = This card is not from your stack.
err-card-already_used = This card was already used.
err-store-full = The device storage is full.
err-store-unavailable = The local database cannot be opened.
err-store-failed = The device could not save this.

## errors: what to do
hint-generic = Try again. If it keeps happening, call your station.
hint-server-unreachable = Move to a place with signal and try again. Recorded work stays safe on this device.
hint-auth-bad_credentials = Check your driver ID and PIN and try again.
hint-auth-bad_enrolment_code = Ask your station for a current enrolment code.
hint-auth-enrolment_code_missing = Enter the enrolment code from your station.
hint-auth-expired = Sign in again.
hint-auth-not_signed_in = Sign in first.
hint-tour-not_found = Ask your station to assign you a tour, then download again.
hint-rule-name_missing = Type the name of the person who took the parcel.
hint-rule-house_number_missing = Type the neighbour's house number.
hint-rule-card_required = Pick a card from your stack.
hint-card-not_issued = Use a card from the stack you got at check-in.
hint-card-already_used = Take the next card from your stack.
hint-rule-undo_window_passed = Ask your station to correct it.
hint-store-full = Free space on the device. Nothing recorded was lost.

## --- tour overview, end-of-tour summary, About, display settings (branch overview) ---
nav-about = Info
nav-summary = Summary
theme-contrast = High contrast for sunlight
theme-contrast_on = High contrast: on
theme-contrast_off = High contrast: off
search-label = Find a stop
search-placeholder = Address or tracking number
search-clear = Clear search
search-clear_short = Clear
search-none = No stop matches “{ $q }”.
search-none_hint = Check the spelling, or type part of the street or the last digits of the tracking number.
search-count = { $n } of { $total ->
        [one] { $total } stop
       *[other] { $total } stops
    }
search-parcel = Parcel
window-soon = Window ends soon
window-missed = Window missed
tour-summary = End-of-tour summary
tour-summary_now = Show the end-of-tour summary
summary-title = End of tour
summary-back = Back to the tour
summary-stops = { $done } of { $total ->
        [one] { $total } stop done
       *[other] { $total } stops done
    }
summary-finished = All stops done.
summary-not_finished = Some stops are still open.
summary-delivered = Delivered
summary-failed = Not delivered (attempted)
summary-not_attempted = Not attempted
summary-cards_used = Cards used
summary-cards_unused = Cards left
summary-returns = Returns on board
summary-conflicts = Conflicts with dispatch
summary-handback_title = Back to the station
summary-handback = Hand back { $parcels ->
        [one] { $parcels } parcel
       *[other] { $parcels } parcels
    }, { $returns ->
        [one] { $returns } return
       *[other] { $returns } returns
    } and { $cards ->
        [one] { $cards } unused card
       *[other] { $cards } unused cards
    }.
summary-conflicts_hint = Explain the conflicts to your station lead at check-out.
about-title = About Lastmile
about-display = Display
about-version = App version
about-install_id = Installation ID
about-schema = Database schema
about-server = Sync server
about-credits = Credits
about-osm = Addresses and map data © OpenStreetMap contributors, available under the Open Database Licence (ODbL 1.0)
about-licence = Licence
about-licence_text = Lastmile is licensed under { $licence }.
about-back = Back

## Station tablet (issue 12)
station-board-title = Today's drivers
station-board-count = { $n ->
        [one] { $n } driver today
       *[other] { $n } drivers today
    }
station-board-loaded = { $loaded } of { $expected } loaded
station-board-back = Board
station-back = Back
station-offline = No connection to the server: showing what the tablet knew last. Everything you record is kept and sent later.
station-pending = { $n ->
        [one] { $n } action waiting to be sent
       *[other] { $n } actions waiting to be sent
    }
station-state-expected = Expected
station-state-checked_in = Checked in
station-state-inspecting = Inspecting
station-state-held = Held
station-state-loading = Loading
station-state-on_road = On the road
station-state-back = Back
station-state-closed = Closed
station-check_in-open = Check in a driver
station-check_in-title = Check-in
station-check_in-hint = The driver enters their ID and PIN. The tablet does not keep them signed in.
station-pass-title = Check-in by the code on the driver's phone
station-pass-hint = The driver opens “My check-in code” on their phone. Works while the Wi-Fi is down.
station-pass-camera = Scan the code with the camera
station-pass-typed = Or the code from a hand scanner
station-code-show = My check-in code
station-code-hide = Hide the check-in code
station-code-hint = Show this code to the station tablet's camera to check in. It works without network.
station-code-alt = Check-in code (QR)
station-check_in-driver = Driver ID
station-check_in-pin = PIN
station-check_in-submit = Check in
station-check_in-wait = Too many wrong PINs on this tablet. Next PIN in { $s } s.
station-step-vehicle = Vehicle
station-step-cards = Cards
station-step-loadout = Load-out
station-step-return = Return
station-step-closeout = Close-out
station-day-vehicle = Vehicle { $plate }
station-vehicle-plate = Number plate
station-vehicle-assign = Give this vehicle
station-hold-title = The tour is held: safety defect on { $plate }.
station-hold-what = Clear the hold once the defect is repaired, or give the driver another vehicle (it needs its own inspection).
station-hold-repaired = Repaired: release the tour
station-hold-other_plate = Other vehicle
station-hold-other = Give the other vehicle
station-inspection-pre = Pre-trip inspection of { $plate }
station-inspection-post = Post-trip inspection of { $plate }
station-inspection-open_defects = Open defects from earlier inspections:
station-inspection-mark_repaired = Mark repaired
station-inspection-passed = Inspection passed.
station-inspection-safety = Safety
station-inspection-ok = OK
station-inspection-defect = Defect
station-inspection-note = What is wrong?
station-inspection-photo = Photo of the defect
station-inspection-photo_asked = Photo (asked for this item)
station-inspection-submit = Save inspection
station-item-tyres = Tyres: tread, pressure, damage
station-item-lights = Lights: head, brake, indicators, hazard
station-item-brakes = Brakes
station-item-mirrors = Mirrors
station-item-horn = Horn
station-item-wipers = Windscreen and wipers
station-item-leaks = Fluid leaks
station-item-body_damage = Body damage
station-item-load_securing = Load securing
station-item-first_aid = First-aid kit, warning triangle
station-cards-title = Notification cards
station-cards-count = { $n ->
        [one] { $n } card
       *[other] { $n } cards
    }
station-cards-first = First card
station-cards-last = Last card
station-cards-issue = Issue the stack
station-scan-label = Scan or type the tracking number
station-scan-submit = Add
station-loadout-title = Load-out
station-loadout-missing = Not scanned yet, by stop
station-loadout-not_loaded = Not loaded
station-reason-missing_at_station = Missing at the station
station-reason-damaged = Damaged
station-return-title = Return to station
station-return-expected = Still expected back
station-return-cards = Unused cards back (one card: first number only)
station-return-cards_back = Count the cards back
station-return-discrepancies = Discrepancies to explain
station-return-why = Why?
station-return-explain = Save
station-discrepancy-parcel_not_back = neither delivered nor back
station-discrepancy-return_not_handed_in = return picked up but not handed in
station-discrepancy-card_missing = card neither used nor returned
station-closeout-title = Close-out of the day
station-closeout-driver_signs = Driver's signature
station-closeout-lead_signs = Station lead's signature
station-closeout-sign = Both sign: close the day
station-closeout-failed_cards = Failed with cards:
station-closeout-unexplained = { $n ->
        [one] { $n } discrepancy still needs an explanation.
       *[other] { $n } discrepancies still need an explanation.
    }
station-closeout-pending = Signed. The close-out is sent as soon as there is a connection.
station-closeout-signed = Signed close-out (version { $version }). It cannot change; a correction is a new version.
station-figure-planned = Parcels planned
station-figure-loaded = Loaded
station-figure-not_loaded = Not loaded
station-figure-delivered = Delivered
station-figure-failed = Not delivered
station-figure-returns = Returns picked up
station-figure-back = Back at the station
station-figure-cards_issued = Cards issued
station-figure-cards_used = Cards used
station-figure-cards_returned = Cards returned
station-figure-cards_missing = Cards missing
station-figure-discrepancies = Discrepancies
station-figure-inspections = Inspections
station-figure-defects = Defects found
station-phone-held = Your tour is held
station-phone-what = Do not drive this vehicle. Go to the station lead: they release your tour once it is repaired or give you another vehicle.
station-mydays-title = My days
station-mydays-none = No signed close-out yet.
station-mydays-offline = My days show once the phone is connected.
station-mydays-line = { $delivered } delivered, { $failed } not delivered, { $back } back at the station, { $cards } cards used
station-mydays-signed = Signed with { $lead }
station-err-unknown_plate = No vehicle with this number plate in the fleet: { $detail }
station-err-photo_not_expected = A photo can only go with an item of this inspection: { $detail }
station-err-card_range_overlaps = These cards overlap the stack of another driver: { $detail }
station-err-bad_card_range = That is not a card range: { $detail }
station-err-parcel_scanned_twice = Already scanned: { $detail }
station-err-parcel_is_a_pickup = This is a return to collect, not a parcel to load: { $detail }
station-err-parcel_of_other_tour = Parcel of another tour — it belongs to { $detail }
station-err-unknown_parcel = This parcel is not on this tour: { $detail }
station-err-card_not_issued = This card is not in the driver's stack: { $detail }
station-err-card_was_used = This card was left at a stop: { $detail }
station-err-cards_returned_twice = This card was counted back already: { $detail }
station-err-blank_explanation = Write why it does not add up: { $detail }
station-err-blank_signature = The pad is blank: both must sign ({ $detail }).
station-err-unexplained_discrepancies = Explain every discrepancy first: { $detail }
station-err-no_tour_today = No tour today for this driver: { $detail }
station-err-no_hold = The tour is not held: { $detail }
station-err-check_in_offline = Check-in by PIN needs the server; while the Wi-Fi is down, scan the check-in code on the driver's phone ({ $detail }).
station-err-no_pass_in_picture = No check-in code found in the picture; hold the phone closer and steady ({ $detail }).
station-err-not_a_pass = This is not a check-in code: { $detail }
station-err-unknown_pass = This check-in code is not for a tour at this station on { $detail }; check in with the PIN.
station-err-no_pass_today = No check-in code for today's tour yet; connect once to the network ({ $detail }).
station-err-offline_no_copy = No connection and nothing kept on the tablet yet ({ $detail }).
station-err-not_a_station_action = The tablet cannot record this: { $detail }
station-err-tour_held = The tour is held: { $detail }
station-err-wrong_station = This driver belongs to another station.
station-err-pin_locked = Too many wrong PINs: wait a minute or unlock the driver.
station-err-not_loaded = The day is still loading.

# Supervisor ride-along (issue #13)
ride-assist-carried_parcels = Carried parcels
ride-assist-talked_to_customer = Talked to the customer
ride-assist-other = Helped otherwise
ride-assist_title = Assisted stops
ride-assist_hint = Stops where you helped are kept out of the driver's pace.
ride-back = Back to the tour
ride-banner_running = { $supervisor } rides along with you today.
ride-banner_waiting = { $n ->
        [one] One record waits for your signature.
       *[other] { $n } records wait for your signature.
    }
ride-cat-safety = Safety
ride-cat-customer_contact = Customer contact
ride-cat-proof_quality = Proof quality
ride-cat-driving = Driving
ride-cat-handling = Parcel handling
ride-cat-other = Other
ride-category = Category
ride-comment = Your comment (agree or disagree)
ride-current = Now
ride-driver_decline = Decline to sign
ride-driver_sign = Sign the record
ride-export = Export my copy
ride-exported = Copy saved: { $path }
ride-grade-trained = Trained
ride-grade-proficient = Proficient
ride-grade-needs_practice = Needs practice
ride-grade-not_observed = Not observed
ride-last = Last ride-along with { $driver }
ride-my_records = { $n ->
        [one] My ride-along record
       *[other] My ride-along records ({ $n })
    }
ride-nav-checklist = Checklist
ride-nav-end = End
ride-nav-follow = Tour
ride-nav-observe = Day notes
ride-no_drivers = No driver you ride with has a tour today.
ride-no_template = No checklist on this phone yet. Connect once to fetch it.
ride-notes = Coaching notes
ride-observations = Observations
ride-observe_at = Observation at stop { $n }
ride-observe_day = Observation for the day
ride-observe_here = Add an observation here
ride-pace = Pace (stops / parcels per hour)
ride-pace_own = Your own pace, assisted stops left out: { $figures }
ride-pace_with = Including the assisted stops: { $figures }
ride-parcels_done = Parcels: { $done } of { $total } done
ride-photo = Add a photo
ride-pick = Pick the driver you ride with
ride-progress_at = Driver's progress as of { $time }
ride-progress_never = The driver's progress has not been fetched yet.
ride-record_by = Record by { $supervisor }
ride-records_kept = Shown as kept on this phone (no connection).
ride-records_title = My ride-along records
ride-refresh = Update the driver's progress
ride-riding_with = You ride along with { $driver }.
ride-save_observation = Save observation
ride-saved = Saved.
ride-sign = Sign and end the ride-along
ride-sign_hint = Sign to end the ride-along. The driver then reads the record on their own phone.
ride-sign_missing = Sign on the pad first.
ride-start = Start the ride-along
ride-status-running = Running
ride-status-awaiting_driver = Signed by you; waiting for the driver
ride-status-awaiting_you = Waiting for your signature
ride-status-signed = Signed by both
ride-status-declined = The driver declined to sign
ride-stop_title = Stop { $n }
ride-stops_done = Stops: { $done } of { $total } done
ride-summary = Observations: { $observations } · Grades: { $grades } · Assisted stops: { $assisted }
ride-supervisor_not_signed = Not signed by the supervisor yet.
ride-supervisor_signed = Signed by the supervisor.
ride-text = What you saw
ride-whole_day = whole day
ride-you_declined = You declined to sign.
ride-you_signed = You signed this record.
err-ride-blank_text = Write something first.
err-ride-blank_signature = The signature is missing.
err-ride-signed = This ride-along is signed and takes no more entries.
err-ride-supervisor_not_signed = The supervisor has not signed this record yet.
err-ride-answered = You have answered this record already.
err-ride-unknown = This ride-along is not on this phone.
err-ride-grade_not_in_template = This checklist does not use that grade.
err-ride-unknown_item = This checklist has no such item.
err-ride-template_mismatch = This record is graded under another checklist version.
err-ride-text_too_long = The text is too long.
err-ride-other_tour = This ride-along belongs to another tour than the one on this phone.

# Corrections (issue 14)
parcel-correct = Correct
correct-title = Correct { $id }
correct-recorded = Recorded:
correct-to_delivered = Delivered
correct-to_failed = Not delivered
correct-note = Why is it corrected? (required)
correct-confirm = Save correction
correct-done = Correction for { $id } saved. The original stays in the history.
err-rule-not_correctable = Only a parcel's latest delivery or failed attempt can be corrected.
err-rule-correction_reason_missing = Say why the outcome is corrected.
undo-remaining = Undo: { $s } s left. After that, correct it at the stop.

# Conflicts shown and acknowledged (issue 14)
conflict-title = Changes by dispatch after you recorded
conflict-parcel_dropped = Dispatch: the new plan no longer has this parcel.
conflict-parcel_moved = Dispatch moved this parcel to stop { $detail }.
conflict-stop_removed = Dispatch removed this stop; it stays because you recorded outcomes here.
conflict-address_corrected = Dispatch corrected the address to { $detail }: check that the parcels went to the right door.
conflict-not_loaded = The station marked this parcel as not loaded.
conflict-recorded = You recorded:
conflict-ack = Seen

# ETA from the road (issue 14)
guide-eta-road = by road, { $d } left
guide-eta-straight = estimated from the straight line

# Glove mode (issue 14)
theme-gloves_on = Gloves: large buttons, on
theme-gloves_off = Gloves: large buttons, off

# Parcel-shop card (issue 14)
deliver-shop_card = Card for the recipient (it names the shop):
## Privacy (issue 16)
privacy-keys-in-files = Test mode: the keys that protect this device's data are kept in files, not in the device's keystore. Do not use it for real deliveries.
# Blocks for independent (flex) drivers (issue 15).
offers-nav-offers = Offers
offers-nav-earnings = Earnings
offers-nav-tour = Tour
offers-state-upcoming = opens soon
offers-state-open = open for requests
offers-state-closed = closed
offers-title = Blocks on offer
offers-reload = Update
offers-how = Blocks are shared out by a published lottery after each round closes; when you ask makes no difference. How it works: docs/blocks-lottery.md.
offers-credit = Fairness credit: { $n }
offers-none = No blocks on offer right now.
offers-results = Results
offers-verified = Verified: this phone recomputed the draw and got the same result.
offers-mismatch = DOES NOT MATCH: this phone recomputed the draw and got a different result. Report this to the station.
offers-unchecked = Not checked yet (no connection).
offers-lost = You did not win a block in this round.
offers-won = You won: { $blocks }
offers-pseudonym = Your name in the published draw: { $name }
offers-my-blocks = My blocks
offers-round = Round { $n }
offers-window = Open { $opens }–{ $closes }
offers-commitment = Commitment { $hash }…
offers-places = Places: { $n }
offers-held = Your request: { $blocks }
offers-send = Send my request
offers-fair = Tap blocks in the order you want them. You can change your request until the round closes.
offers-status-won = Won – please confirm
offers-status-confirmed = Confirmed
offers-status-released = Released
offers-status-expired = Not confirmed in time
offers-confirm-by = Confirm by { $time }
offers-confirm = Confirm
offers-release = Release
offers-earnings-title = Earnings this week
offers-week = Week from { $date }
offers-earnings-none = No worked blocks this week yet.
offers-earned-line = { $hours } h · { $stops } stops · { $parcels } parcels
offers-total = Total: { $pay } for { $hours } h
offers-export = Export (CSV and printable page)
offers-signin-flex_id = Driver ID (flex)
offers-signin-mode-flex = Independent driver (flex)

## Lockers and parcel shops as their own methods
method-locker = Locker
deliver-shop_name = Shop's name (optional)
deliver-locker = Locker ID
deliver-compartment = Compartment
deliver-pickup_code = Pick-up code (optional)
deliver-locker_card = Card for the recipient (it names the locker and compartment):
err-rule-shop_missing = The parcel shop's ID is missing.
hint-rule-shop_missing = Type the shop's ID from its sign or the scanner.
err-rule-locker_missing = The locker's ID or the compartment is missing.
hint-rule-locker_missing = Type the locker's ID and the compartment number.

## The driver's evidence bundle
evidence-title = My day as evidence
evidence-hint = A signed file of your day: stops, times, positions, outcomes, cards, corrections, photos and signatures. Keep it for a dispute about a parcel or your working time.
evidence-none = No day of yours is on this device.
evidence-day = Day
evidence-folder = Folder
evidence-key = Device key:
evidence-export = Export my day
evidence-done = Exported, { $files } files:
err-evidence-not_yours = This day was recorded by another driver; only they can export it.
hint-evidence-not_yours = Only the driver who recorded a day can export it.
err-evidence-failed = The bundle could not be made.
hint-evidence-failed = Try again; if it keeps failing, tell the station.
err-evidence-folder = The folder cannot be written.
hint-evidence-folder = Choose a folder you can write to, and check that the storage is not full.
## Security and privacy (issue 16): a server whose TLS certificate this device does not trust
err-server-untrusted = The server's certificate is not trusted by this device.
hint-server-untrusted = The connection was refused so that nobody can listen in. Ask the station to check the server address and its certificate; recorded work stays safe on this device.

## Station tablet: the audit trail (issue 16)
audit-open = Audit trail
audit-title = Who read what
audit-intro = Every read of a driver's photos, signatures, tour or day by someone other than that driver, newest first.
audit-empty = Nobody has read a driver's proof or day yet.
audit-line = { $who } ({ $role }) read { $what } of { $driver }
audit-what-proof = a proof file
audit-what-tour = the tour
audit-what-day = the day
audit-role-station = station lead
audit-role-supervisor = supervisor
audit-role-driver = driver
audit-role-flex = flex driver
## Service visits (issue 14)
service-kind-service = Service visit
service-kind-parcel_shop = Parcel shop
service-kind-pickup = Pickup
service-title = Service visit
service-planned = Planned: { $minutes } min
service-started-at = Started at { $time }
service-finished-at = Finished at { $time }
service-start = Start the visit
service-checklist-hint = Answer every item: done or not done. A note is optional.
service-done = Done
service-not-done = Not done
service-unanswered = Not answered
service-note = Note (optional)
service-photo = Photo (optional)
service-customer = Customer's name
service-sign = Customer's signature (sign-off)
service-finish = Finish the visit
service-signed-by = Signed off by { $name }
service-finished-notice = Service visit recorded.
err-service-not_a_service_stop = This stop is not a service visit.
err-service-already_started = The visit has already started.
err-service-not_started = Start the visit first.
err-service-already_finished = This visit is already finished.
err-service-item_unanswered = A checklist item is not answered yet.
err-service-unknown_item = The checklist has no such item.
err-service-item_twice = A checklist item was answered twice.
err-service-name_missing = The customer's name is missing.
err-service-signature_missing = The customer's signature is missing.
err-service-text_too_long = The text is too long.
hint-service-item_unanswered = Mark every item as done or not done, then finish again.
hint-service-signature_missing = Let the customer sign on the pad, then finish again.
## The offline map (issue 17)
map-title = Map
map-hide = Hide map
map-show = Show map
map-recenter = Re-centre
map-not-downloaded = Map not downloaded for this area
map-downloading = Downloading the map: { $percent } %
map-credit = © OpenStreetMap contributors
map-stop = Stop { $n }
map-parcels = { $n ->
        [one] { $n } parcel
       *[other] { $n } parcels
    }
map-no-webgl = This device cannot draw the map.
