"""Demo projects of Parcel & Post Logistics."""

PROJECTS = [
    {
        "organization": "Parcel & Post Logistics",
        "title": "Tableau dashboard of delivery times by ZIP code",
        "summary": (
            "Build a Tableau dashboard that shows on-time rates and delivery times "
            "by ZIP code, route and day of the week."
        ),
        "description": (
            "We deliver about 3,000 parcels a day across central Ohio. Our drivers "
            "and dispatchers have a feel for which areas run late, but we have "
            "never looked at the data properly."
            "\n\n"
            "You will write SQL queries against a read-only copy of our delivery "
            "database, prepare the data, and build a Tableau dashboard with a ZIP "
            "code map, on-time trends and a route comparison. You will finish by "
            "presenting the dashboard to our operations team."
            "\n\n"
            "Our head of operations will hold a kickoff call and weekly check-ins, "
            "and our engineer will help you with database access."
        ),
        "deliverables": (
            "- SQL queries that prepare the dashboard data\n"
            "- A published Tableau dashboard with map, trend and route views\n"
            "- A 15-minute presentation of findings to the operations team"
        ),
        "category": "data_analysis",
        "skills": ["Tableau", "SQL", "Data visualization", "Data analysis"],
        "hours": 32,
        "fee_cents": 102400,
        "days_to_complete": 30,
        "apply_in_days": 25,
        "posted_days_ago": 2,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "Describe the most complex SQL query you have written and what it did.",
            (
                "Share a link to a Tableau Public dashboard or other visualization you built, if "
                "you have one."
            ),
        ],
        "status": "open",
    },
    {
        "organization": "Parcel & Post Logistics",
        "title": "Build a delivery-zone lookup page for our website",
        "summary": (
            "Create a simple web page where customers enter a ZIP code and see "
            "whether we deliver there and on which days."
        ),
        "description": (
            "Prospective customers email us every day to ask whether we deliver to "
            "their area. We keep our service zones in a spreadsheet, but there is "
            "no way to check them on our website."
            "\n\n"
            "You will build a small, accessible page in HTML, CSS and JavaScript "
            "that reads our zone list from a JSON file and shows service days and "
            "cutoff times for a ZIP code. It should work on phones and match our "
            "site's look."
            "\n\n"
            "Our engineer will hold a kickoff call, review your code weekly and "
            "help deploy the finished page."
        ),
        "deliverables": (
            "- A working ZIP code lookup page in HTML, CSS and JavaScript\n"
            "- A script or documented steps to convert the zone spreadsheet to JSON\n"
            "- Brief notes on how to update the zones"
        ),
        "category": "software",
        "skills": ["JavaScript", "HTML and CSS"],
        "hours": 25,
        "fee_cents": 80000,
        "days_to_complete": 21,
        "apply_in_days": 14,
        "posted_days_ago": 7,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "Share a link to a web page or repository you built with HTML, CSS and JavaScript.",
            "How would you make sure the page is usable on a phone and with a screen reader?",
        ],
        "status": "open",
    },
    {
        "organization": "Parcel & Post Logistics",
        "title": "Write standard operating procedures for our returns desk",
        "summary": (
            "Observe our returns desk and write clear step-by-step procedures that "
            "new staff can follow from their first day."
        ),
        "description": (
            "Our returns desk handles about 200 packages a day, and almost all of "
            "the know-how lives in two people's heads. We are hiring and need "
            "written procedures."
            "\n\n"
            "You will spend two or three shifts at our Columbus warehouse watching "
            "and asking questions, then write procedures for receiving, inspecting, "
            "relabeling and logging returns, with photos where they help. The rest "
            "of the writing can be done remotely."
            "\n\n"
            "Our warehouse lead will hold a kickoff meeting and a weekly check-in, "
            "and will test the procedures with a new hire before you finish."
        ),
        "deliverables": (
            "- Written procedures for the four main returns tasks, with photos\n"
            "- A one-page quick-reference sheet for the desk"
        ),
        "category": "operations",
        "skills": ["Technical writing", "Project management", "Photography"],
        "hours": 20,
        "fee_cents": 40000,
        "days_to_complete": 21,
        "apply_in_days": 12,
        "posted_days_ago": 4,
        "openings": 1,
        "is_remote": False,
        "location": "Columbus, OH",
        "questions": [
            (
                "Can you spend two or three weekday shifts at our warehouse on the west side of "
                "Columbus?"
            ),
            "Describe a set of instructions you wrote for other people to follow.",
        ],
        "status": "open",
    },
    {
        "organization": "Parcel & Post Logistics",
        "title": "Enter 800 scanned proof-of-delivery forms into a spreadsheet",
        "summary": (
            "Transcribe signatures, times and notes from scanned delivery forms so "
            "we can resolve open customer claims."
        ),
        "description": (
            "Before we switched to digital signatures, drivers used paper "
            "proof-of-delivery forms. We still get claims about those deliveries "
            "and need the details in a searchable spreadsheet."
            "\n\n"
            "You will enter the tracking number, delivery time, recipient name and "
            "driver notes from about 800 scanned forms, following an entry guide, "
            "and flag forms that are hard to read. Two students will split the "
            "forms by month."
            "\n\n"
            "Our customer service lead will train you on a kickoff call and check "
            "a sample of your entries each week."
        ),
        "deliverables": (
            "- A completed spreadsheet with one row per form\n"
            "- A list of unreadable or incomplete forms"
        ),
        "category": "data_entry",
        "skills": ["Data entry", "Excel"],
        "hours": 25,
        "fee_cents": 40000,
        "days_to_complete": 14,
        "apply_in_days": 5,
        "posted_days_ago": 12,
        "openings": 2,
        "is_remote": True,
        "location": "",
        "questions": [
            "Roughly how many fields per hour can you enter accurately? How do you know?",
        ],
        "status": "open",
    },
    {
        "organization": "Parcel & Post Logistics",
        "title": "Research last-mile delivery rates of 10 regional carriers",
        "summary": (
            "Compare published rates, service areas and delivery promises of 10 "
            "regional carriers in the Midwest."
        ),
        "description": (
            "We are reviewing our prices for next year and want a clear picture of "
            "what regional competitors charge small online sellers for local and "
            "next-day delivery."
            "\n\n"
            "Using public rate cards, websites and, where needed, quote requests "
            "sent as a small seller, you will compile rates for three standard "
            "parcel sizes, service areas and delivery windows for 10 carriers, then "
            "summarize how our rates compare."
            "\n\n"
            "Our founder will hold a kickoff call and meet with you at the end of "
            "each week."
        ),
        "deliverables": (
            "- A comparison spreadsheet of rates and services for 10 carriers\n"
            "- A two-page summary of where our pricing stands"
        ),
        "category": "industry_research",
        "skills": ["Market research", "Competitive analysis", "Excel"],
        "hours": 12,
        "fee_cents": 25200,
        "days_to_complete": 10,
        "apply_in_days": 8,
        "posted_days_ago": 6,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "What would you do if a carrier does not publish its rates?",
        ],
        "status": "open",
    },
    {
        "organization": "Parcel & Post Logistics",
        "title": "LinkedIn posting plan to reach small online sellers",
        "summary": (
            "Plan and draft a month of LinkedIn posts that introduce our same-day "
            "delivery service to small online sellers."
        ),
        "description": (
            "Most of our new customers are small online shops in central Ohio. Our "
            "founder posts on LinkedIn now and then, and we want a steadier "
            "presence that brings in leads."
            "\n\n"
            "You will draft 12 posts for our company page and the founder's profile, "
            "mixing customer stories, delivery tips and behind-the-scenes photos, "
            "and design four simple graphics in Canva. You will also suggest when "
            "to post."
            "\n\n"
            "Our founder will hold a short kickoff call and review the drafts with "
            "you once."
        ),
        "deliverables": (
            "- 12 drafted LinkedIn posts with a posting schedule\n"
            "- Four graphics sized for LinkedIn"
        ),
        "category": "social_media",
        "skills": ["LinkedIn marketing", "Copywriting", "Canva"],
        "hours": 8,
        "fee_cents": 16800,
        "days_to_complete": 10,
        "apply_in_days": 28,
        "posted_days_ago": 0,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [],
        "status": "open",
    },
    {
        "organization": "Parcel & Post Logistics",
        "title": "Write 10 help-center articles for new shipping customers",
        "summary": (
            "Turn our most common customer questions into 10 short, clear help-center articles."
        ),
        "description": (
            "Our customer support inbox is full of the same questions: how to "
            "schedule a pickup, how to label a package, what happens when a "
            "delivery fails. Good articles would answer most of them."
            "\n\n"
            "You will review a sample of anonymized support emails, agree on 10 "
            "topics with us, and write articles of 300 to 600 words with simple "
            "steps and screenshots. Each article should be easy to skim on a phone."
            "\n\n"
            "Our customer service lead will hold a kickoff call and review your "
            "drafts at weekly check-ins."
        ),
        "deliverables": (
            "- 10 help-center articles with screenshots\n"
            "- A suggested order and grouping for the help-center menu"
        ),
        "category": "content_creation",
        "skills": ["Technical writing", "Customer support", "Copywriting"],
        "hours": 14,
        "fee_cents": 29400,
        "days_to_complete": 14,
        "apply_in_days": 11,
        "posted_days_ago": 9,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            (
                'Rewrite this sentence to be clearer for a customer: "Pickups must be requested '
                'prior to the cutoff in order to be processed same day."'
            ),
        ],
        "status": "open",
    },
]
